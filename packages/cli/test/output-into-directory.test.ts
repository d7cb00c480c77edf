import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-output-dir-'));
let server: Server;
let base: string;

beforeAll(async () => {
  server = createHttpServer((_, res) => res.end('hello\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('-o naming something that cannot be written', () => {
  it('fails with exit 23 and says why when -o names a directory (as curl)', async () => {
    const target = join(dir, 'a-folder');
    mkdirSync(target);
    const { code, stderr } = await runInProcess(['-o', target, `${base}/a.txt`]);
    expect(code).toBe(23);
    expect(stderr).toMatch(/Cannot write the output: EISDIR/);
    expect(readdirSync(target)).toEqual([]);
  });

  it('fails with exit 23 when -o names a file in a missing folder', async () => {
    const { code, stderr } = await runInProcess(['-o', join(dir, 'missing', 'a.txt'), `${base}/a.txt`]);
    expect(code).toBe(23);
    expect(stderr).toMatch(/ENOENT/);
  });
});
