import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createRequest, createServer } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';
import { SafeFolder } from '../src/serve/safe-fs.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'parley-serve-move-overwrite-'));
const server = createServer(folderService(root, { write: true }));
let url = '';

beforeAll(async () => {
  url = (await server.listen(http('http://127.0.0.1:0'))).url;
});
afterAll(async () => {
  await server.close({ timeoutMs: 1000 });
  rmSync(root, { recursive: true, force: true });
});

/** curl's status code for a WebDAV MOVE of `from` to `to` with the given header fields. */
async function curlMove(from: string, to: string, ...fields: string[]): Promise<string> {
  const headers = [`Destination: ${to}`, ...fields].flatMap((field) => ['-H', field]);
  const { stdout } = await run('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-X',
    'MOVE',
    ...headers,
    `${url}${from}`,
  ]);
  return stdout;
}

describe('parley serve: MOVE with Overwrite (WebDAV) from curl', () => {
  it('Overwrite: F onto an existing file is a 412 (RFC 4918) and both files stay as they were', async () => {
    writeFileSync(join(root, 'a.txt'), 'a\n');
    writeFileSync(join(root, 'b.txt'), 'b\n');
    expect(await curlMove('/a.txt', '/b.txt', 'Overwrite: F')).toBe('412');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('b\n');
  });

  it('Overwrite: F onto a free name moves; Overwrite: T or none replaces', async () => {
    writeFileSync(join(root, 'c.txt'), 'c\n');
    expect(await curlMove('/c.txt', '/d.txt', 'Overwrite: F')).toBe('201');
    writeFileSync(join(root, 'e.txt'), 'e\n');
    expect(await curlMove('/e.txt', '/d.txt', 'Overwrite: T')).toBe('200');
    expect(readFileSync(join(root, 'd.txt'), 'utf8')).toBe('e\n');
    writeFileSync(join(root, 'f.txt'), 'f\n');
    expect(await curlMove('/f.txt', '/d.txt')).toBe('200');
    expect(readFileSync(join(root, 'd.txt'), 'utf8')).toBe('f\n');
  });

  it('another Overwrite value is a 400, and nothing moves', async () => {
    writeFileSync(join(root, 'g.txt'), 'g\n');
    expect(await curlMove('/g.txt', '/h.txt', 'Overwrite: maybe')).toBe('400');
    expect(readFileSync(join(root, 'g.txt'), 'utf8')).toBe('g\n');
  });

  it('the folder itself refuses to replace an existing target under its lock', async () => {
    writeFileSync(join(root, 'i.txt'), 'i\n');
    writeFileSync(join(root, 'j.txt'), 'j\n');
    const folder = new SafeFolder(root);
    await expect(folder.move(join(root, 'i.txt'), join(root, 'j.txt'), false)).rejects.toMatchObject({
      status: 'precondition_failed',
    });
    expect(readFileSync(join(root, 'i.txt'), 'utf8')).toBe('i\n');
    expect(readFileSync(join(root, 'j.txt'), 'utf8')).toBe('j\n');
  });

  it('a lower-case f from a Parley client means the same', async () => {
    writeFileSync(join(root, 'k.txt'), 'k\n');
    writeFileSync(join(root, 'l.txt'), 'l\n');
    const serve = folderService(root, { write: true });
    const reply = await serve(
      createRequest({ method: 'MOVE', path: '/k.txt', headers: { destination: '/l.txt', overwrite: 'f' } }),
    );
    expect(reply.status).toBe('precondition_failed');
    expect(readFileSync(join(root, 'l.txt'), 'utf8')).toBe('l\n');
  });
});
