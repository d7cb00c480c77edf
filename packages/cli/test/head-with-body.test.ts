import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** The requests the server got: method and body size. */
const got: string[] = [];
let server: Awaited<ReturnType<typeof plainHttpServer>>;
const file = join(tmpdir(), `parley-head-body-${process.pid}.txt`);

beforeAll(async () => {
  writeFileSync(file, 'hello\n');
  server = await plainHttpServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.byteLength;
    });
    req.on('end', () => {
      got.push(`${req.method} ${bytes}`);
      res.end();
    });
  });
});
afterAll(() => {
  server.stop();
  rmSync(file, { force: true });
});

describe('parley -I with a body', () => {
  for (const body of [
    ['-d', 'xyz'],
    ['-T', file],
  ]) {
    it(`(${body[0]}) is a usage error, exit 2, as curl, instead of a HEAD carrying a body`, async () => {
      got.length = 0;
      const run = await parley(['-I', ...body, `${server.base}/a.txt`]);
      expect(run).toEqual({
        code: 2,
        stdout: '',
        stderr: 'parley: Give -I or a body (-d, -T), not both\nTry parley --help\n',
      });
      expect(got).toEqual([]);
    });
  }
});
