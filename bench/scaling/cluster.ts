import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Mosquitto, startMosquitto } from '../../test/support/mosquitto.js';
import { type Nginx, startNginx } from './nginx.js';
import { type NotesProcess, startNotesProcess } from './notes-process.js';

/** The notes service as several processes behind nginx (HTTP, SMTP) and one mosquitto (MQTT). */
export interface Cluster {
  /** The data directory every process shares. */
  readonly dataDir: string;
  /** The HTTP front (nginx). */
  readonly httpUrl: string;
  /** The SMTP front (nginx stream). */
  readonly smtpUrl: string;
  /** The broker and service prefix; the processes share the request topics (`$share/...`). */
  readonly mqttUrl: string;
  /** The processes running now. */
  readonly processes: readonly NotesProcess[];
  /** Starts or stops (SIGTERM, graceful) processes until `count` run, and points nginx at them. */
  scaleTo(count: number): Promise<void>;
  /** SIGKILLs one process, telling nobody: nginx and the broker find out for themselves. */
  kill(index: number): Promise<void>;
  /** Stops everything and removes the data directory. */
  close(): Promise<void>;
}

/** Starts mosquitto, `count` notes processes sharing one data directory, and nginx in front. */
export async function startCluster(count: number): Promise<Cluster> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-scaling-'));
  const processes: NotesProcess[] = [];
  let mosquitto: Mosquitto | undefined;
  let nginx: Nginx | undefined;
  const upstreams = () => ({
    http: processes.map((one) => one.httpPort),
    smtp: processes.map((one) => one.smtpPort),
  });
  const close = async (): Promise<void> => {
    await nginx?.stop();
    await Promise.all(processes.splice(0).map((one) => one.kill('SIGTERM')));
    await mosquitto?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const grow = async (target: number): Promise<void> => {
    const broker = `${(mosquitto as Mosquitto).url}/notes-service`;
    const started = await Promise.all(
      Array.from({ length: target - processes.length }, () => startNotesProcess(dataDir, broker)),
    );
    processes.push(...started);
  };
  try {
    mosquitto = await startMosquitto();
    await grow(count);
    nginx = await startNginx(upstreams());
  } catch (error) {
    await close();
    throw error;
  }
  const front = nginx;
  return {
    dataDir,
    httpUrl: `http://127.0.0.1:${front.httpPort}`,
    smtpUrl: `smtp://127.0.0.1:${front.smtpPort}`,
    mqttUrl: `${mosquitto.url}/notes-service`,
    processes,
    async scaleTo(target) {
      if (target > processes.length) await grow(target);
      const extra = processes.splice(target);
      await front.reload(upstreams());
      await Promise.all(extra.map((one) => one.kill('SIGTERM')));
    },
    async kill(index) {
      const [victim] = processes.splice(index, 1);
      await victim?.kill('SIGKILL');
    },
    close,
  };
}
