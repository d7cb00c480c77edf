import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, createServer, respond } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-in-process.js';

/** Far more than the sender reads ahead of the receiver (its buffers and the sockets'). */
const SIZE = 32 * 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'parley-upload-file-changes-'));
const file = join(dir, 'sent.bin');
/** What happens to the file when the server gets the upload's first bytes. */
let change: () => void = () => {};
/** The bytes each upload brought the server, by path. */
const received = new Map<string, number>();
const server = createServer(
  createRouter().put('/up/:name', async (request) => {
    let bytes = 0;
    try {
      for await (const chunk of request.body) {
        if (bytes === 0) change();
        bytes += chunk.byteLength;
      }
    } finally {
      received.set(request.path, bytes);
    }
    return respond('created');
  }),
);
const urls: Record<string, string> = {};

beforeAll(async () => {
  urls.http = (await server.listen(http('http://127.0.0.1:0', { maxBodyBytes: 1 << 30 }))).url.replace(
    /\/$/,
    '',
  );
  urls.ftp = (await server.listen(ftp('ftp://127.0.0.1:0'))).url.replace(/\/$/, '');
});
afterAll(async () => {
  await server.close({ timeoutMs: 1_000 });
  rmSync(dir, { recursive: true, force: true });
});

/** Each transport, with the file read into the transport's buffers and (traced) streamed. */
const cases = ['http', 'ftp'].flatMap((scheme) => [
  { scheme, traced: false },
  { scheme, traced: true },
]);

describe('parley -T FILE and a file that changes while it is sent', () => {
  it.each(cases)(
    'over $scheme (traced: $traced), a file that shrank is exit 26, not a success',
    {
      timeout: 60_000,
    },
    async ({ scheme, traced }) => {
      writeFileSync(file, Buffer.alloc(SIZE, 7));
      change = () => truncateSync(file, 1000);
      const trace = traced ? ['--trace', join(dir, 'trace.txt')] : [];
      const result = await runInProcess([...trace, '-T', file, `${urls[scheme]}/up/shrank-${traced}`]);
      expect(result.code).toBe(26);
      expect(result.stderr).toContain(`changed while it was sent: it ended after`);
      expect(result.stderr).toContain(`of its ${SIZE} bytes`);
    },
  );

  // Read streamed (traced), a grown file is the file streams' own test: tracing 32 MiB is slow.
  it.each(['http', 'ftp'])(
    'over %s, a file that grew goes as the size it had',
    {
      timeout: 60_000,
    },
    async (scheme) => {
      writeFileSync(file, Buffer.alloc(SIZE, 7));
      change = () => appendFileSync(file, Buffer.alloc(1024 * 1024, 8));
      const result = await runInProcess(['-sf', '-T', file, `${urls[scheme]}/up/grew`]);
      expect(result.code).toBe(0);
      expect(received.get('/up/grew')).toBe(SIZE);
    },
  );
});
