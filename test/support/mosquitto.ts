import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasPeer, peerPath, requirePeer } from './peer.js';
import { freePort, waitForPort } from './ports.js';

/** Whether mosquitto and its clients are installed. */
export const hasMosquitto = ['mosquitto', 'mosquitto_rr', 'mosquitto_pub', 'mosquitto_sub'].every((tool) =>
  hasPeer(tool),
);

/** Under CI a missing mosquitto is a failure, elsewhere the interop suites skip. */
export function requireMosquitto(): boolean {
  return requirePeer('mosquitto', hasMosquitto);
}

/** A mosquitto broker of our own on a free port, restartable on the same port. */
export interface Mosquitto {
  /** The port it listens on. */
  readonly port: number;
  /** The broker's process id while it runs (to read its CPU time). */
  readonly pid: number | undefined;
  /** `mqtt://127.0.0.1:<port>`. */
  readonly url: string;
  /** Kills the broker (SIGKILL) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Kills the broker. */
  kill(): Promise<void>;
  /** Starts it again after {@link Mosquitto.kill}. */
  start(): Promise<void>;
  /** Kills the broker and removes its config. */
  stop(): Promise<void>;
}

/** Starts mosquitto with a config written to a temp dir. */
export async function startMosquitto(extraConfig: string[] = []): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mosquitto-'));
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'set_tcp_nodelay true', ...extraConfig, ''].join(
      '\n',
    ),
  );
  const binary = peerPath('mosquitto');
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(binary, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    await waitForPort(port);
  };
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    port,
    get pid() {
      return child?.pid;
    },
    url: `mqtt://127.0.0.1:${port}`,
    start,
    kill,
    async restart() {
      await kill();
      await start();
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
