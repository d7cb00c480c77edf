import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startMosquitto as startMosquittoBroker } from '../../test/support/mosquitto.js';

/** A broker process started for the benchmark. */
export interface BrokerProcess {
  readonly name: string;
  readonly url: string;
  /** 5 or 4: the protocol version the hand-written loop speaks to it. */
  readonly version: 4 | 5;
  /** The broker's process id, to read its CPU time. */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** mosquitto on a free port, TCP_NODELAY on (as any latency-sensitive deployment would set). */
export async function startMosquitto(): Promise<BrokerProcess> {
  const broker = await startMosquittoBroker();
  return {
    name: 'mosquitto (MQTT 5)',
    url: broker.url,
    version: 5,
    pid: broker.pid,
    stop: () => broker.stop(),
  };
}

/** The embedded aedes broker, in a process of its own. */
export async function startAedes(): Promise<BrokerProcess> {
  const script = fileURLToPath(new URL('./aedes-broker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`aedes exited with ${code}`)));
  });
  return { name: 'aedes (MQTT 3.1.1)', url, version: 4, pid: child.pid, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
