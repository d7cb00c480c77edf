import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, respond, type Server } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-http-upload-'));
/** A 32-bit counter, so that no two 4-byte words are alike, and a length no buffer divides. */
const bytes = Buffer.allocUnsafe(8 * 1024 * 1024 + 6);
for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(i / 4, i);
const hashes: string[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'counter.bin'), bytes);
  server = createServer(async (request) => {
    const hash = createHash('sha256');
    for await (const chunk of request.body) hash.update(chunk);
    hashes.push(hash.digest('hex'));
    return respond('created');
  });
  url = (await server.listen(http('http://127.0.0.1:0', { maxBodyBytes: 1 << 30 }))).url.replace(/\/$/, '');
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the command in this process with captured output. */
const run = (...argv: string[]) => runInProcess(argv);

describe('parley -T FILE over HTTP', () => {
  it('sends every byte of the file, read into buffers or, traced, streamed', {
    timeout: 60_000,
  }, async () => {
    const expected = createHash('sha256').update(bytes).digest('hex');
    hashes.length = 0;
    const file = join(dir, 'counter.bin');
    expect(await run('-s', '-T', file, `${url}/up`)).toMatchObject({ code: 0 });
    expect(await run('-s', '--trace', join(dir, 'trace.txt'), '-T', file, `${url}/up`)).toMatchObject({
      code: 0,
    });
    expect(hashes).toEqual([expected, expected]);
  });
});
