import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
import { type ChildService, spawnService, withLogin } from './helpers.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

describe('two notes processes on one data directory', () => {
  let dataDir: string;
  let first: ChildService;
  let second: ChildService;
  let clients: Client[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-shared-'));
    first = await spawnService({ PARLEY_DATA_DIR: dataDir });
    second = await spawnService({ PARLEY_DATA_DIR: dataDir });
    clients = [first, second].map((service) =>
      createClient(http(service.url('http')), { timeoutMs: 60_000, retries: 0 }),
    );
  });

  afterAll(async () => {
    await Promise.all((clients ?? []).map((client) => client.close().catch(() => {})));
    for (const service of [first, second])
      if (service?.child.exitCode === null) service.child.kill('SIGTERM');
    await Promise.all([first?.exited, second?.exited]);
    await rm(dataDir, { recursive: true, force: true });
  });

  const client = (i: number): Client => clients[i % 2] as Client;

  it('keeps every acknowledged append exactly once: 200 lines sent to both processes at once', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    const acked: string[] = [];
    await pool(lines, 20, async (line) => {
      const i = Number(line.slice(5));
      const response = await client(i).post('/notes/log.txt', `${line}\n`);
      expect(['ok', 'created']).toContain(response.status);
      acked.push(line);
    });
    const stored = (await readFile(join(dataDir, 'log.txt'), 'utf8')).split('\n').slice(0, -1);
    expect(stored.sort()).toEqual(acked.sort());
    expect(acked).toHaveLength(200);
  });

  it('never lets an append in one process undo a replacement acknowledged by the other', async () => {
    await appendsRacingReplacements(client, '/notes/mixed.txt', 30, () =>
      readFile(join(dataDir, 'mixed.txt'), 'utf8'),
    );
  });

  it('takes over at once a lock left by a process killed (SIGKILL) while holding it', async () => {
    await client(0).put('/notes/locked.txt', 'before\n');
    const lock = join(dataDir, lockFileName('locked.txt'));
    // A process takes the note's lock the way a store does, and is killed holding it.
    await holdLockAndDie(lock);
    // Well before the lock's 30 s bound: the owner is dead, so its lock is stale.
    await using quick = createClient(http(first.url('http')), { timeoutMs: 10_000, retries: 0 });
    expect((await quick.post('/notes/locked.txt', 'after\n')).status).toBe('ok');
    expect(await readFile(join(dataDir, 'locked.txt'), 'utf8')).toBe('before\nafter\n');
    expect((await readdir(dataDir)).filter((name) => name.startsWith('.parley-lock-'))).toEqual([]);
  });

  it('never lists a lock file nor serves it as a note', async () => {
    const lock = lockFileName('some.txt');
    await writeFile(join(dataDir, lock), `${deadPid()} nowhere\n`);
    const listing = JSON.stringify(await (await client(0).list('/notes/')).body.json());
    expect(listing).not.toContain('.parley-lock-');
    expect((await client(0).get(`/notes/${lock}`)).status).toBe('bad_request');
    expect((await client(0).put(`/notes/${lock}`, 'x')).status).toBe('bad_request');
    await rm(join(dataDir, lock));
  });
});

describe('a notes process starting on a directory another one uses', () => {
  let dataDir: string;
  const started: ChildService[] = [];

  afterEach(async () => {
    for (const service of started.splice(0)) {
      if (service.child.exitCode === null) service.child.kill('SIGTERM');
      await service.exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves the upload in flight of the live process alone', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-shared-'));
    const first = await spawnService({ PARLEY_DATA_DIR: dataDir });
    started.push(first);
    await using client = createClient(http(first.url('http')), { timeoutMs: 60_000, retries: 0 });
    const { body, finish } = gatedUpload();
    const reply = client.put('/notes/upload.txt', body);
    // The upload's temporary file is there...
    for (let i = 0; i < 500 && !(await readdir(dataDir)).some((name) => name.startsWith('.upload-')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await readdir(dataDir)).some((name) => name.startsWith('.upload-'))).toBe(true);
    // ...when a second process starts on the same directory.
    started.push(await spawnService({ PARLEY_DATA_DIR: dataDir }));
    finish();
    expect((await reply).status).toBe('created');
    expect(await readFile(join(dataDir, 'upload.txt'), 'utf8')).toBe('first half, second half');
  });

  it('removes at start what dead processes left (temporary files, locks), not what live ones use', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-shared-'));
    const dead = deadPid();
    const leftovers = [`.upload-${dead}-0123abcd`, '.upload-3f2a9c1e-77aa-4bb0-9c1d-0a1b2c3d4e5f'];
    const live = `.upload-${process.pid}-0123abcd`;
    const staleLock = lockFileName('a.txt');
    const liveLock = lockFileName('b.txt');
    for (const name of [...leftovers, live]) await writeFile(join(dataDir, name), 'half');
    await writeFile(join(dataDir, staleLock), `${dead} ${(await import('node:os')).hostname()}\n`);
    await writeFile(join(dataDir, liveLock), `${process.pid} ${(await import('node:os')).hostname()}\n`);
    started.push(await spawnService({ PARLEY_DATA_DIR: dataDir }));
    expect((await readdir(dataDir)).sort()).toEqual([live, liveLock].sort());
  });

  it('answers a FIFO among the notes as no note, over HTTP and FTP, and goes on serving', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-shared-'));
    execFileSync('mkfifo', [join(dataDir, 'pipe.txt')]);
    await writeFile(join(dataDir, 'a.txt'), 'a\n');
    const service = await spawnService({ PARLEY_DATA_DIR: dataDir });
    started.push(service);
    await using web = createClient(http(service.url('http')), { timeoutMs: 10_000, retries: 0 });
    await using files = createClient(ftp(withLogin(service.url('ftp'))), { timeoutMs: 10_000, retries: 0 });
    for (const client of [web, files]) {
      expect((await client.get('/notes/pipe.txt')).status).toBe('not_found');
      expect((await client.post('/notes/pipe.txt', 'x')).status).toBe('forbidden');
      expect((await client.put('/notes/pipe.txt', 'x')).status).toBe('forbidden');
      expect(await (await client.get('/notes/a.txt')).body.text()).toBe('a\n');
    }
  });
});
