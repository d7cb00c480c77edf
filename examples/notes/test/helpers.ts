import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, type CreateClientOptions, createClient } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, beforeAll } from 'vitest';
import { readConfig } from '../src/config.js';
import { openDiskStore } from '../src/disk-store.js';
import { createMemoryStore } from '../src/memory-store.js';
import { type NotesService, type NotesUrls, startNotesService } from '../src/service.js';
import type { NoteStore } from '../src/store.js';

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

/** `url` with a login in it: the demo user's unless `user` and `password` are given. */
export function withLogin(url: string, user = 'demo', password = 'demo'): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.href;
}

/** One client over each of a running service's five protocols, FTP's logged in as the demo user. */
export function clientsOf(
  urls: NotesUrls,
  options?: CreateClientOptions,
): Record<'http' | 'ws' | 'ftp' | 'smtp' | 'mqtt', Client> {
  return {
    http: createClient(http(urls.http), options),
    ws: createClient(ws(urls.ws ?? ''), options),
    ftp: createClient(ftp(withLogin(urls.ftp)), options),
    smtp: createClient(smtp(urls.smtp), options),
    mqtt: createClient(mqtt(urls.mqtt), options),
  };
}

/** A test service and one client over each of its protocols (see {@link serviceWithClients}). */
export interface ServiceWithClients {
  /** The service (read it in tests, once it started). */
  readonly service: TestService;
  /** One client over each protocol, by its name (see {@link clientsOf}). */
  readonly clients: Readonly<Record<string, Client>>;
}

/**
 * Starts a test service with one client over each protocol before the tests of the describe
 * block this is called in, and closes the clients, then the service, after them; `afterStop`
 * runs last (to unmount what the service ran on).
 */
export function serviceWithClients(
  env: Record<string, string> = {},
  options?: CreateClientOptions,
  afterStop?: () => Promise<void> | void,
): ServiceWithClients {
  let service: TestService | undefined;
  let clients: Record<string, Client> = {};
  beforeAll(async () => {
    service = await startTestService(env);
    clients = clientsOf(service.urls, options);
  });
  afterAll(async () => {
    await Promise.all(Object.values(clients).map((client) => client.close()));
    await service?.stop();
    await afterStop?.();
  });
  return {
    get service() {
      if (service === undefined) throw new Error('The notes service has not started');
      return service;
    },
    get clients() {
      return clients;
    },
  };
}

/** The port of a URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** A notes service running as a child process (`node --import tsx src/main.ts`). */
export interface ChildService {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** The URL printed for a protocol (`http`, `ftp`, `smtp`, `mqtt`). */
  url(protocol: string): string;
  /** Resolves once it printed something matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with its exit code once it exits. */
  readonly exited: Promise<number | null>;
}

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/** Starts the service as a child process on free ports and waits until it prints where it listens. */
export async function spawnService(env: Record<string, string>): Promise<ChildService> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: exampleDir,
    env: { ...process.env, ...FREE_PORTS, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const service: ChildService = {
    child,
    output: () => text,
    url(protocol) {
      const match = new RegExp(`^\\s+${protocol}\\s+(\\S+)`, 'm').exec(text);
      if (match?.[1] === undefined) throw new Error(`No ${protocol} URL in the output:\n${text}`);
      return match[1];
    },
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out waiting for ${pattern} in:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        void exited.then(() => {
          if (waiters.has(check)) {
            cleanup();
            reject(new Error(`Exited before ${pattern} appeared:\n${text}`));
          }
        });
        check();
      });
    },
    exited,
  };
  await service.waitFor(/^\s+mqtt\s+\S+/m);
  return service;
}

/** Both note stores, by name, each made fresh with what removes it: for `describe.each`. */
export const NOTE_STORES: [string, () => Promise<{ store: NoteStore; cleanup: () => Promise<void> }>][] = [
  ['memory', async () => ({ store: createMemoryStore(), cleanup: async () => {} })],
  [
    'disk',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'parley-notes-'));
      return { store: await openDiskStore(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
];
