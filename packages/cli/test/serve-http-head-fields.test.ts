import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-head-'));
const server = createServer(folderService(root));
let base: string;

beforeAll(async () => {
  writeFileSync(join(root, 'a.txt'), 'hello');
  utimesSync(join(root, 'a.txt'), new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'b.txt'), 'bee');
  base = (await server.listen(http('http://127.0.0.1:0'))).url.replace(/\/$/, '');
});
afterAll(async () => {
  await server.close({ timeoutMs: 1_000 });
  rmSync(root, { recursive: true, force: true });
});

describe('the header fields of parley serve over HTTP', () => {
  it('gives last-modified as an HTTP date (curl -R, wget -N), in GET and HEAD', async () => {
    for (const method of ['GET', 'HEAD']) {
      const answer = await fetch(`${base}/a.txt`, { method });
      expect(answer.headers.get('last-modified')).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
      await answer.arrayBuffer();
    }
  });

  it('answers HEAD of a folder with the type GET gives, and no length of 0', async () => {
    for (const accept of ['text/html', 'application/json', '*/*']) {
      const got = await fetch(`${base}/sub/`, { headers: { accept } });
      const body = await got.arrayBuffer();
      expect(body.byteLength).toBeGreaterThan(0);
      const head = await fetch(`${base}/sub/`, { method: 'HEAD', headers: { accept } });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe(got.headers.get('content-type'));
      // A length is optional in a HEAD answer; when there is one, it is GET's.
      expect(head.headers.get('content-length') ?? String(body.byteLength)).toBe(String(body.byteLength));
    }
  });
});
