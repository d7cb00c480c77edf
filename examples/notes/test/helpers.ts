import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../src/config.js';
import { type NotesService, startNotesService } from '../src/service.js';

/** Every port on 0 (any free port), in a fresh data directory. */
export const FREE_PORTS = {
  PARLEY_HTTP_PORT: '0',
  PARLEY_FTP_PORT: '0',
  PARLEY_SMTP_PORT: '0',
  PARLEY_MQTT_PORT: '0',
  PARLEY_MQTT_WS_PORT: '0',
};

/** A notes service started for a test, with its data directory and request log. */
export interface TestService extends NotesService {
  readonly dataDir: string;
  readonly log: string[];
  stop(): Promise<void>;
}

/** Starts the service in this process on free ports, with a temporary data directory. */
export async function startTestService(env: Record<string, string> = {}): Promise<TestService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-e2e-'));
  const log: string[] = [];
  const config = readConfig({ ...FREE_PORTS, PARLEY_DATA_DIR: dataDir, ...env });
  const service = await startNotesService({ config, log: (line) => log.push(line) });
  return Object.assign(service, {
    dataDir,
    log,
    async stop() {
      await service.close({ timeoutMs: 2_000 });
      await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/** Whether a command is on PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Whether tests that need `commands` should run: yes when all are present; when one is
 * missing, no outside CI, and a failure under CI (`CI=true`), where every peer must be installed.
 */
export function needs(...commands: string[]): boolean {
  const missing = commands.filter((command) => !hasCommand(command));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`Missing required peer(s) under CI: ${missing.join(', ')}`);
  return false;
}

/** The port of a URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}
