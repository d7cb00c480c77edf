import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, type Serving, serve } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const dir = mkdtempSync(join(tmpdir(), 'parley-serve-special-'));
let serving: Serving;
let socketServer: Server;

beforeAll(async () => {
  buildParley();
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(dir, 'socket'), resolve));
  symlinkSync('/dev/zero', join(dir, 'zero'));
  serving = await serve(dir);
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await serving?.stop();
  socketServer?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parley serve with special files in its folder', () => {
  for (const protocol of ['http', 'ftp']) {
    it(`answers a GET of a FIFO or a socket over ${protocol} with not_found, and answers the next request`, async () => {
      for (const name of ['fifo', 'socket']) {
        const run = await parley(['-f', '-s', '-S', `${serving.urls[protocol]}${name}`]);
        if (protocol === 'http') {
          expect(run.code).toBe(22);
          expect(run.stderr).toBe(`parley: The peer answered not_found (http GET /${name})\n`);
        } else {
          // An FTP refusal keeps curl's code under -f: 78, "remote file not found".
          expect(run.code).toBe(78);
          expect(run.stderr).toMatch(
            new RegExp(`^parley: The peer refused: not_found \\(ftp GET /${name}\\)`),
          );
        }
      }
      // The server is not stuck opening the FIFO: the next request is answered.
      expect(await parley([`${serving.urls[protocol]}a.txt`])).toMatchObject({ code: 0, stdout: 'a\n' });
    });
  }

  it('says why over HTTP: no regular file, not "Not a folder"', async () => {
    for (const name of ['fifo', 'socket']) {
      const run = await parley([`${serving.urls.http}${name}`]);
      expect(run.stdout).toBe(`Not a file: /${name} is no regular file`);
    }
  });

  it('refuses a symbolic link to /dev/zero with forbidden', async () => {
    const run = await parley(['-f', '-s', '-S', `${serving.urls.http}zero`]);
    expect(run).toMatchObject({ code: 22, stdout: '' });
    expect(run.stderr).toContain('forbidden');
  });
});
