import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient, lockFileName } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deadPid, pool } from '../../../test/support/processes.js';
import {
  appendsRacingReplacements,
  gatedUpload,
  holdLockAndDie,
} from '../../../test/support/shared-folder.js';
import { BUILD_TIMEOUT_MS, buildParley, type Serving, serve } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const WRITE = ['--write', '--user', 'demo', '--password', 'pw', '--silent'];

/** The URL of a protocol of a running `parley serve`, with the login. */
function withLogin(serving: Serving, protocol: string): string {
  const url = new URL(serving.urls[protocol] as string);
  url.username = 'demo';
  url.password = 'pw';
  return url.href;
}

describe('two `parley serve --write` on one folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-serve-shared-'));
  let servings: Serving[] = [];
  let clients: Client[] = [];

  beforeAll(async () => {
    servings = [await serve(dir, WRITE), await serve(dir, WRITE)];
    clients = servings.map((serving) =>
      createClient(http(withLogin(serving, 'http')), { timeoutMs: 60_000, retries: 0 }),
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await Promise.all(servings.map((serving) => serving.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (i: number): Client => clients[i % 2] as Client;

  it('keeps every acknowledged append exactly once: 200 lines sent to both processes at once', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    const acked: string[] = [];
    await pool(lines, 20, async (line) => {
      const response = await client(Number(line.slice(5))).post('/log.txt', `${line}\n`);
      expect(['ok', 'created']).toContain(response.status);
      acked.push(line);
    });
    const stored = readFileSync(join(dir, 'log.txt'), 'utf8').split('\n').slice(0, -1);
    expect(stored.sort()).toEqual(acked.sort());
    expect(acked).toHaveLength(200);
  });

  it('never lets an append in one process undo a replacement acknowledged by the other', async () => {
    await appendsRacingReplacements(client, '/mixed.txt', 20, () =>
      readFileSync(join(dir, 'mixed.txt'), 'utf8'),
    );
  });

  it('takes over at once a lock left by a process killed (SIGKILL) while holding it', async () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'locked.txt'), 'before\n');
    const lock = join(dir, lockFileName('sub/locked.txt'));
    await holdLockAndDie(lock);
    // Well before the lock's 30 s bound: the owner is dead, so its lock is stale.
    await using quick = createClient(http(withLogin(servings[0] as Serving, 'http')), {
      timeoutMs: 10_000,
      retries: 0,
    });
    expect((await quick.post('/sub/locked.txt', 'after\n')).status).toBe('ok');
    expect(readFileSync(join(dir, 'sub', 'locked.txt'), 'utf8')).toBe('before\nafter\n');
    expect(readdirSync(dir).filter((name) => name.startsWith('.parley-lock-'))).toEqual([]);
  });

  it('never lists nor serves a lock file, over HTTP or FTP', async () => {
    const lock = lockFileName('other.txt');
    writeFileSync(join(dir, lock), `${process.pid} ${hostname()}\n`);
    await using files = createClient(ftp(withLogin(servings[1] as Serving, 'ftp')), { timeoutMs: 10_000 });
    for (const each of [client(0), files]) {
      expect(JSON.stringify(await (await each.list('/')).body.json())).not.toContain('.parley-lock-');
      expect((await each.get(`/${lock}`)).status).toBe('not_found');
      expect(['not_found', 'forbidden']).toContain((await each.put(`/${lock}`, 'x')).status);
      expect(['not_found', 'forbidden']).toContain((await each.delete(`/${lock}`)).status);
    }
    rmSync(join(dir, lock));
  });
});

describe('`parley serve --write` starting on a folder another one uses', () => {
  let dir = '';
  const running: Serving[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((serving) => serving.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the upload in flight of the live process alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-serve-shared-'));
    const first = await serve(dir, WRITE);
    running.push(first);
    await using client = createClient(http(withLogin(first, 'http')), { timeoutMs: 60_000, retries: 0 });
    const { body, finish } = gatedUpload();
    const reply = client.put('/upload.txt', body);
    const inFlight = () => readdirSync(dir).some((name) => name.startsWith('.parley-upload-'));
    for (let i = 0; i < 500 && !inFlight(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(inFlight()).toBe(true);
    running.push(await serve(dir, WRITE));
    finish();
    expect((await reply).status).toBe('created');
    expect(readFileSync(join(dir, 'upload.txt'), 'utf8')).toBe('first half, second half');
  });

  it('removes at start what dead processes left (temporary files, locks), in every folder', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-serve-shared-'));
    mkdirSync(join(dir, 'sub'));
    const dead = deadPid();
    const live = `.parley-upload-${process.pid}-0123abcd`;
    const liveLock = lockFileName('b.txt');
    for (const folder of [dir, join(dir, 'sub')]) {
      for (const name of [
        `.parley-upload-${dead}-0123abcd`,
        '.parley-upload-0123456789abcdef',
        live,
        'a.txt',
      ])
        writeFileSync(join(folder, name), 'x');
    }
    writeFileSync(join(dir, lockFileName('a.txt')), `${dead} ${hostname()}\n`);
    writeFileSync(join(dir, liveLock), `${process.pid} ${hostname()}\n`);
    running.push(await serve(dir, WRITE));
    expect(readdirSync(dir).sort()).toEqual([live, liveLock, 'a.txt', 'sub'].sort());
    expect(readdirSync(join(dir, 'sub')).sort()).toEqual([live, 'a.txt'].sort());
  });

  it('answers a FIFO as no file at once, over HTTP and FTP, reading or appending, and goes on serving', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-serve-shared-'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    const serving = await serve(dir, WRITE);
    running.push(serving);
    await using web = createClient(http(withLogin(serving, 'http')), { timeoutMs: 10_000, retries: 0 });
    await using files = createClient(ftp(withLogin(serving, 'ftp')), { timeoutMs: 10_000, retries: 0 });
    for (const client of [web, files]) {
      // More requests at once than the thread pool has threads: none may hang on the FIFO.
      const replies = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          i % 2 === 0 ? client.post('/fifo', 'x') : client.put('/fifo', 'x'),
        ),
      );
      for (const reply of replies) expect(reply.status).toBe('conflict');
      expect((await client.get('/fifo')).status).toBe('not_found');
      expect(await (await client.get('/a.txt')).body.text()).toBe('a\n');
    }
  });
});
