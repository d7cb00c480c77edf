// The embedded broker in its own process, so its work does not share the benchmark's CPU time slice.
import { startBroker } from '@parley/mqtt';

const broker = await startBroker({ port: 0 });
process.stdout.write(`${broker.url}\n`);
process.once('SIGTERM', () => void broker.close().then(() => process.exit(0)));
