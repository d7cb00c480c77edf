/**
 * One process running round trips for instruction counting (see count.ts):
 * `scenario.mjs <transport> <kind> <warm-up> <counted> [broker url]` where transport is `ws`,
 * `mqtt` or `http` and kind is `parley` or `hand` (for `http`, a bare `node:http` server). Client
 * and server both run in this process; the calls go one at a time (an `http` call is ten
 * pipelined requests). With `--heap`, prints the bytes allocated per counted call instead (V8's
 * sampling heap profiler, collected objects included; the profile is written to
 * `$PROFILE_HEAP_OUT` when set).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { startHandWritten as startHandMqtt, startParley as startParleyMqtt } from '../mqtt/contenders.js';
import { startHttpPair } from './http-pair.js';
import { startHandWs, startParleyWs } from './ws-pair.js';

const [transport, kind, warmup, counted, brokerUrl] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string?,
];
const heap = process.argv.includes('--heap');

/** One round trip at a time, `call` and `close`. */
interface Pair {
  call(): Promise<unknown>;
  close(): Promise<void>;
}

async function start(): Promise<Pair> {
  if (transport === 'ws') return kind === 'parley' ? startParleyWs() : startHandWs();
  if (transport === 'http') return startHttpPair(kind === 'parley' ? 'parley' : 'node');
  if (transport === 'mqtt') {
    if (brokerUrl === undefined) throw new Error('mqtt needs a broker url');
    return kind === 'parley' ? startParleyMqtt(brokerUrl) : startHandMqtt(brokerUrl, 5);
  }
  throw new Error(`Unknown transport: ${transport}`);
}

async function run(pair: Pair, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await pair.call();
}

const pair = await start();
await run(pair, Number(warmup));
if (heap) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 256,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  } as never);
  await run(pair, Number(counted));
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as {
    profile: { samples: { size: number }[] };
  };
  const bytes = profile.samples.reduce((sum, s) => sum + s.size, 0);
  const out = process.env.PROFILE_HEAP_OUT;
  if (out !== undefined) writeFileSync(out, JSON.stringify(profile));
  process.stdout.write(`${JSON.stringify({ bytesPerCall: bytes / Number(counted) })}\n`);
} else {
  await run(pair, Number(counted));
}
await pair.close();
process.exit(0);
