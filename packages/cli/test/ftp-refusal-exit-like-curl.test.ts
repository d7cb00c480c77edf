import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasPeer, requirePeer, requirePeers } from '../../../test/support/peer.js';
import { freePort, waitForPort } from '../../../test/support/ports.js';
import { BUILD_TIMEOUT_MS, buildParley, curlExit, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasPeers =
  requirePeers('curl') && requirePeer('pyftpdlib', hasPeer('/usr/bin/python3', ['-c', 'import pyftpdlib']));

describe.runIf(hasPeers)(
  'FTP refusals end with the exit code curl gives, with or without -f (pyftpdlib)',
  () => {
    const root = mkdtempSync(join(tmpdir(), 'parley-ftp-refusal-'));
    const upload = join(mkdtempSync(join(tmpdir(), 'parley-ftp-refusal-up-')), 'up.txt');
    let server: ChildProcess | undefined;
    let url = '';

    beforeAll(async () => {
      mkdirSync(join(root, 'sub'));
      writeFileSync(upload, 'up\n');
      writeFileSync(join(root, 'sub', 'a.txt'), 'a\n');
      const port = await freePort();
      server = spawn(
        '/usr/bin/python3',
        ['-m', 'pyftpdlib', '-i', '127.0.0.1', '-p', String(port), '-d', root],
        { stdio: 'ignore' },
      );
      await waitForPort(port, 60_000);
      url = `ftp://127.0.0.1:${port}`;
    });
    afterAll(() => {
      server?.kill('SIGTERM');
      rmSync(root, { recursive: true, force: true });
      rmSync(dirname(upload), { recursive: true, force: true });
    });

    it.each([
      ['a file that is there', '/sub/a.txt', 0],
      ['a missing file in a folder that is there', '/sub/missing.txt', 78],
      ['a file in a missing folder (curl fails its CWD)', '/no-such-folder/a.txt', 9],
      ['a file two missing folders down', '/no/such/a.txt', 9],
      ['a listing of a missing folder', '/no-such-folder/', 9],
      ['a listing asked of a file (its path ending in /)', '/sub/a.txt/', 9],
      ['a file under a file, as if it were a folder', '/sub/a.txt/b.txt', 9],
    ])('%s: %s', async (_what, path, expected) => {
      const target = `${url}${path}`;
      expect(await curlExit([target]), 'curl').toBe(expected);
      expect(await curlExit(['-f', target]), 'curl -f').toBe(expected);
      expect((await parley(['-s', '-o', '/dev/null', target])).code, 'parley').toBe(expected);
      expect((await parley(['-s', '-f', '-o', '/dev/null', target])).code, 'parley -f').toBe(expected);
    });

    it('an upload the server refuses (anonymous is read-only) is 25, one into a missing folder 9', async () => {
      for (const [path, expected] of [
        ['/sub/up.txt', 25],
        ['/no-such-folder/up.txt', 9],
      ] as const) {
        const target = `${url}${path}`;
        expect(await curlExit(['-T', upload, target]), `curl -T ${path}`).toBe(expected);
        expect((await parley(['-s', '-T', upload, target])).code, `parley -T ${path}`).toBe(expected);
        expect((await parley(['-s', '-d', 'x', target])).code, `parley -d ${path}`).toBe(expected);
      }
    });

    it("a folder the server refuses to make is 21, as curl's quoted MKD", async () => {
      expect(await curlExit([`${url}/`, '-Q', 'MKD made']), 'curl MKD').toBe(21);
      expect((await parley(['-s', '-X', 'PUT', `${url}/made/`])).code, 'parley PUT made/').toBe(21);
    });

    it("a refused DELETE or MOVE is 21, as curl's quoted DELE and RNFR, even in a missing folder", async () => {
      expect(await curlExit([`${url}/`, '-Q', 'DELE missing.txt']), 'curl DELE').toBe(21);
      expect(await curlExit([`${url}/`, '-Q', 'RNFR missing.txt', '-Q', 'RNTO b.txt']), 'curl RNFR').toBe(21);
      for (const fail of [[], ['-f']]) {
        for (const path of ['/missing.txt', '/no-such-folder/missing.txt']) {
          const deleted = await parley(['-s', ...fail, '-X', 'DELETE', `${url}${path}`]);
          expect(deleted.code, `DELETE ${path}`).toBe(21);
        }
        const moved = await parley([
          '-s',
          ...fail,
          '-X',
          'MOVE',
          '-H',
          'Destination: /b.txt',
          `${url}/missing.txt`,
        ]);
        expect(moved.code, 'MOVE').toBe(21);
      }
    });
  },
);
