import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeers } from '../../../test/support/peer.js';
import { portOf, startTestService, type TestService } from './helpers.js';

const run = promisify(execFile);
const ready = requirePeers('curl', 'mkfifo');

describe.runIf(ready)('the notes service with curl: links, spoofing names, MOVE', () => {
  let service: TestService;
  let outside: string;
  let http: string;
  let ftp: string;

  beforeAll(async () => {
    service = await startTestService();
    http = service.urls.http.replace(/\/$/, '');
    ftp = `ftp://demo:demo@127.0.0.1:${portOf(service.urls.ftp)}`;
    outside = await mkdtemp(join(tmpdir(), 'parley-notes-outside-'));
    await writeFile(join(outside, 'passwd'), 'root:x:0:0\n');
    await writeFile(join(service.dataDir, 'real.txt'), 'real note\n');
    await symlink(join(outside, 'passwd'), join(service.dataDir, 'pw.txt'));
    await symlink('real.txt', join(service.dataDir, 'alias.txt'));
    await run('mkfifo', [join(service.dataDir, 'pipe.txt')]);
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await rm(outside, { recursive: true, force: true });
  });

  /** Runs curl; resolves with its exit code and what it printed. */
  const curl = async (...args: string[]): Promise<{ code: number; out: string }> => {
    try {
      return { code: 0, out: (await run('curl', ['-sS', ...args], { timeout: 20_000 })).stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string };
      return { code: failed.code ?? -1, out: failed.stdout ?? '' };
    }
  };
  const status = async (...args: string[]): Promise<string> =>
    (await curl('-o', '/dev/null', '-w', '%{http_code}', ...args)).out;

  it('serves no symbolic link (to a file outside or inside the directory) and no FIFO over HTTP', async () => {
    for (const name of ['pw.txt', 'alias.txt', 'pipe.txt']) {
      expect(await status(`${http}/notes/${name}`), name).toBe('404');
      expect(await status('-X', 'PUT', '-d', 'x', `${http}/notes/${name}`), name).toBe('403');
      expect(await status('-X', 'DELETE', `${http}/notes/${name}`), name).toBe('403');
    }
    const listed = JSON.parse((await curl(`${http}/notes/`)).out) as { name: string }[];
    expect(listed.map((entry) => entry.name)).toEqual(['real.txt']);
    expect(await readFile(join(outside, 'passwd'), 'utf8')).toBe('root:x:0:0\n');
    expect((await curl(`${http}/notes/real.txt`)).out).toBe('real note\n');
  });

  it('serves no symbolic link and no FIFO over FTP', async () => {
    for (const name of ['pw.txt', 'alias.txt', 'pipe.txt']) {
      const fetched = await curl(`${ftp}/notes/${name}`);
      expect(fetched.code, name).toBe(78);
      expect(fetched.out).toBe('');
    }
    expect((await curl('-l', `${ftp}/notes/`)).out.trim().split(/\r?\n/)).toEqual(['real.txt']);
    expect((await curl(`${ftp}/notes/real.txt`)).out).toBe('real note\n');
  });

  it('refuses names with U+202E and U+200B over HTTP with 400', async () => {
    for (const encoded of ['evil%E2%80%AEtxt.exe', 'pass%E2%80%8Bword.txt']) {
      const put = await curl('-w', ' %{http_code}', '-X', 'PUT', '-d', 'x', `${http}/notes/${encoded}`);
      expect(put.out, encoded).toMatch(/bidirectional or invisible ones\n 400$/);
      expect(await status(`${http}/notes/${encoded}`)).toBe('400');
    }
  });

  it('renames with HTTP MOVE and a Destination, in one step', async () => {
    expect(await status('-X', 'PUT', '-d', 'draft', `${http}/notes/draft.txt`)).toBe('201');
    const moved = await curl(
      '-w',
      ' %{http_code}',
      '-X',
      'MOVE',
      '-H',
      `Destination: ${http}/notes/final%20version.txt`,
      `${http}/notes/draft.txt`,
    );
    expect(moved.out).toBe('{"name":"final version.txt","size":5} 200');
    expect(await readFile(join(service.dataDir, 'final version.txt'), 'utf8')).toBe('draft');
    expect(await status(`${http}/notes/draft.txt`)).toBe('404');
    expect(await status('-X', 'MOVE', '-H', 'Destination: /notes/x.txt', `${http}/notes/draft.txt`)).toBe(
      '404',
    );
    expect(
      await status(
        '-X',
        'MOVE',
        '-H',
        'Destination: http://evil.example/notes/x.txt',
        `${http}/notes/real.txt`,
      ),
    ).toBe('400');
    expect(await status('-X', 'MOVE', '-H', 'Destination: /notes/pw.txt', `${http}/notes/real.txt`)).toBe(
      '403',
    );
    expect(await readFile(join(service.dataDir, 'real.txt'), 'utf8')).toBe('real note\n');
  });
});
