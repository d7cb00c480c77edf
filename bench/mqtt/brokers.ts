import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n`);
  const child = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
  await waitForPort(port);
  return {
    name: 'mosquitto (MQTT 5)',
    url: `mqtt://127.0.0.1:${port}`,
    version: 5,
    pid: child.pid,
    stop: async () => {
      await stop(child);
      rmSync(dir, { recursive: true, force: true });
    },
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}
