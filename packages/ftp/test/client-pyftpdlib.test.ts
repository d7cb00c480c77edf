import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Body, createClient, createRequest, fillChunks, ParleyError, readListing } from '@parley/core';
import { digestStream, patternStream } from '@parley/core/conformance';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, type Pyftpdlib, startPyftpdlib } from './pyftpdlib.js';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe.skipIf(!available)('FTP client against pyftpdlib', () => {
  let server: Pyftpdlib;
  beforeAll(async () => {
    server = await startPyftpdlib();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('MOVE renames with RNFR/RNTO; a missing source is not_found', async () => {
    await using client = createClient(ftp(server.url));
    writeFileSync(join(server.root, 'move-from.txt'), 'moving');
    const moved = await client.move('/move-from.txt', '/move-to.txt');
    expect(moved.status).toBe('ok');
    expect(readFileSync(join(server.root, 'move-to.txt'), 'utf8')).toBe('moving');
    expect(() => statSync(join(server.root, 'move-from.txt'))).toThrow();
    const missing = await client.move('/move-from.txt', '/elsewhere.txt');
    await missing.body.cancel();
    expect(missing.status).toBe('not_found');
  });

  it('a MOVE that may not overwrite is unsupported (RNTO replaces), and nothing moves', async () => {
    await using client = createClient(ftp(server.url), { retries: 0 });
    writeFileSync(join(server.root, 'keep-from.txt'), 'from');
    writeFileSync(join(server.root, 'keep-to.txt'), 'to');
    await expect(
      client.move('/keep-from.txt', '/keep-to.txt', { headers: { overwrite: 'F' } }),
    ).rejects.toMatchObject({ status: 'unsupported' });
    expect(readFileSync(join(server.root, 'keep-to.txt'), 'utf8')).toBe('to');
    expect(readFileSync(join(server.root, 'keep-from.txt'), 'utf8')).toBe('from');
  });

  it('PUT stores a file, GET reads it back, HEAD gives its size and time', async () => {
    await using client = createClient(ftp(server.url));
    const put = await client.put('/a.txt', 'hello, pyftpdlib');
    expect(put.status).toBe('ok');
    expect(readFileSync(join(server.root, 'a.txt'), 'utf8')).toBe('hello, pyftpdlib');
    const get = await client.get('/a.txt');
    expect(get.status).toBe('ok');
    expect(await get.body.text()).toBe('hello, pyftpdlib');
    const head = await client.head('/a.txt');
    expect(head.status).toBe('ok');
    expect(head.headers.get('content-length')).toBe('16');
    const modified = Date.parse(head.headers.get('last-modified') ?? '');
    expect(Math.abs(modified - statSync(join(server.root, 'a.txt')).mtimeMs)).toBeLessThan(2000);
  });

  it('POST appends to a file', async () => {
    await using client = createClient(ftp(server.url));
    writeFileSync(join(server.root, 'log.txt'), 'one\n');
    const post = await client.post('/log.txt', 'two\n');
    expect(post.status).toBe('ok');
    expect(readFileSync(join(server.root, 'log.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  it('streams a 20 MB file up and down intact', async () => {
    await using client = createClient(ftp(server.url));
    const size = 20 * 1024 * 1024;
    const expected = await digestStream(patternStream(size));
    const put = await client.put('/big.bin', Body.from(patternStream(size), size));
    expect(put.status).toBe('ok');
    expect(sha256(readFileSync(join(server.root, 'big.bin')))).toBe(expected.sha256);
    const get = await client.get('/big.bin');
    expect(get.status).toBe('ok');
    expect(await digestStream(get.body)).toEqual(expected);
  });

  it('lists a directory as Parley entries', async () => {
    await using client = createClient(ftp(server.url));
    expect((await client.put('/dir/', '')).status).toBe('created');
    writeFileSync(join(server.root, 'dir', 'x.txt'), 'xyz');
    expect((await client.put('/dir/sub/', '')).status).toBe('created');
    const list = await client.list('/dir/');
    expect(list.status).toBe('ok');
    const entries = await readListing(list);
    expect(entries).toHaveLength(2);
    expect(entries).toContainEqual(expect.objectContaining({ name: 'x.txt', type: 'file', size: 3 }));
    expect(entries).toContainEqual(expect.objectContaining({ name: 'sub', type: 'directory' }));
    const file = entries.find((entry) => entry.name === 'x.txt');
    expect(Number.isNaN(Date.parse(file?.modified ?? ''))).toBe(false);
  });

  it('DELETE removes a file (DELE) and an empty directory (RMD)', async () => {
    await using client = createClient(ftp(server.url));
    writeFileSync(join(server.root, 'doomed.txt'), 'bye');
    expect((await client.delete('/doomed.txt')).status).toBe('ok');
    expect((await client.delete('/doomed.txt')).status).toBe('not_found');
    expect((await client.put('/gone/', '')).status).toBe('created');
    expect((await client.delete('/gone/')).status).toBe('ok');
    expect((await client.list('/gone/')).status).toBe('not_found');
  });

  it('answers not_found for a missing file on GET, HEAD and LIST', async () => {
    await using client = createClient(ftp(server.url));
    const get = await client.get('/missing.txt');
    expect(get.status).toBe('not_found');
    expect(await get.body.text()).toMatch(/no such file/i);
    expect((await client.head('/missing.txt')).status).toBe('not_found');
    expect((await client.list('/missing/')).status).toBe('not_found');
  });

  it('runs 10 parallel GETs over a pool of 4 connections', async () => {
    const transport = ftp(server.url, { client: { poolSize: 4 } });
    await using client = createClient(transport);
    const names = Array.from({ length: 10 }, (_, i) => `p${i}.bin`);
    for (const name of names) writeFileSync(join(server.root, name), Buffer.alloc(300_000, name));
    const bodies = await Promise.all(
      names.map(async (name) => Buffer.from(await (await client.get(`/${name}`)).body.bytes())),
    );
    bodies.forEach((body, i) => {
      expect(body.equals(Buffer.alloc(300_000, names[i]))).toBe(true);
    });
  });

  it('frees the connection when a download is cancelled or aborted midway', async () => {
    writeFileSync(join(server.root, 'abort.bin'), Buffer.alloc(16 * 1024 * 1024, 7));
    const connector = ftp(server.url, { client: { poolSize: 1 } }).connect();
    try {
      const cancelled = await connector.send(createRequest({ method: 'GET', path: '/abort.bin' }));
      expect(cancelled.status).toBe('ok');
      const reader = cancelled.body[Symbol.asyncIterator]();
      expect((await reader.next()).done).toBe(false);
      await reader.return?.();

      const controller = new AbortController();
      const aborted = await connector.send(
        createRequest({ method: 'GET', path: '/abort.bin', signal: controller.signal }),
      );
      const chunks = aborted.body[Symbol.asyncIterator]();
      await chunks.next();
      controller.abort();
      const failure = await (async () => {
        for (let next = await chunks.next(); !next.done; next = await chunks.next());
      })().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ParleyError);
      expect((failure as ParleyError).status).toBe('cancelled');

      // With one connection in the pool, this only answers if the aborted ones were freed.
      const next = await connector.send(createRequest({ method: 'GET', path: '/a.txt' }));
      expect(await next.body.text()).toBe('hello, pyftpdlib');
    } finally {
      await connector.close();
    }
  });

  it('lends a download chunk by chunk from one reused buffer, and stops it when the consumer throws', async () => {
    const bytes = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE(i, i);
    writeFileSync(join(server.root, 'lent.bin'), bytes);
    const connector = ftp(server.url, { client: { poolSize: 1 } }).connect();
    try {
      const response = await connector.send(createRequest({ method: 'GET', path: '/lent.bin' }));
      const hash = createHash('sha256');
      const memory = new Set<ArrayBufferLike>();
      let lent = 0;
      let total = 0;
      const lending = response.body.lend((chunk) => {
        hash.update(chunk);
        total += chunk.byteLength;
        if (memory.has(chunk.buffer)) lent++;
        memory.add(chunk.buffer);
      });
      expect(lending).toBeDefined();
      await lending;
      expect(total).toBe(bytes.length);
      expect(hash.digest('hex')).toBe(sha256(bytes));
      // Most chunks came in the same memory: they were lent, not allocated one by one.
      expect(lent).toBeGreaterThan(0);
      expect(response.body.used).toBe(true);

      const broken = await connector.send(createRequest({ method: 'GET', path: '/lent.bin' }));
      const failure = new Error('disk full');
      let calls = 0;
      await expect(
        broken.body.lend(() => {
          calls++;
          if (calls === 3) throw failure;
        }),
      ).rejects.toBe(failure);
      // With one connection in the pool, this only answers if the broken download freed it.
      const next = await connector.send(createRequest({ method: 'GET', path: '/a.txt' }));
      expect(await next.body.text()).toBe('hello, pyftpdlib');
    } finally {
      await connector.close();
    }
  });

  it('uploads a body that fills the buffers it is given, and fails with what its filler throws', async () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024 + 3);
    for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(i * 7, i);
    let offset = 0;
    const given = new Set<Uint8Array>();
    const filling = (fail: boolean) =>
      Object.assign(Readable.from([]), {
        [fillChunks]: () => (buffer: Uint8Array) => {
          given.add(buffer);
          if (fail && offset > 1024 * 1024) throw new Error('read failed');
          const n = Math.min(buffer.byteLength, bytes.length - offset, 100_000);
          buffer.set(bytes.subarray(offset, offset + n));
          offset += n;
          return n;
        },
      });
    const connector = ftp(server.url, { client: { poolSize: 1 } }).connect();
    try {
      const put = await connector.send(
        createRequest({ method: 'PUT', path: '/filled.bin', body: Body.from(filling(false)) }),
      );
      expect(put.status).toBe('ok');
      expect(readFileSync(join(server.root, 'filled.bin')).equals(bytes)).toBe(true);
      // A few buffers, each filled many times over.
      expect(given.size).toBeLessThan(10);

      offset = 0;
      await expect(
        connector.send(createRequest({ method: 'PUT', path: '/failed.bin', body: Body.from(filling(true)) })),
      ).rejects.toThrow(/read failed/);
      // With one connection in the pool, this only answers if the failed upload freed it.
      const next = await connector.send(createRequest({ method: 'GET', path: '/a.txt' }));
      expect(await next.body.text()).toBe('hello, pyftpdlib');
    } finally {
      await connector.close();
    }
  });

  it('stops reading a filling body when its upload is aborted midway, and frees the connection', async () => {
    const controller = new AbortController();
    const limit = 256 * 1024 * 1024;
    let filled = 0;
    let filledAtAbort = 0;
    const endless = Object.assign(Readable.from([]), {
      [fillChunks]: () => (buffer: Uint8Array) => {
        if (filled >= 4 * 1024 * 1024 && !controller.signal.aborted) {
          filledAtAbort = filled;
          controller.abort();
        }
        const n = Math.min(buffer.byteLength, limit - filled);
        buffer.fill(1, 0, n);
        filled += n;
        return n;
      },
    });
    const connector = ftp(server.url, { client: { poolSize: 1 } }).connect();
    try {
      await expect(
        connector.send(
          createRequest({
            method: 'PUT',
            path: '/aborted.bin',
            body: Body.from(endless),
            signal: controller.signal,
          }),
        ),
      ).rejects.toBeInstanceOf(Error);
      expect(controller.signal.aborted).toBe(true);
      // At most the buffers already in flight were filled after the abort, not the rest of the body.
      expect(filled - filledAtAbort).toBeLessThanOrEqual(8 * 1024 * 1024);
      // With one connection in the pool, this only answers if the aborted upload freed it.
      const next = await connector.send(createRequest({ method: 'GET', path: '/a.txt' }));
      expect(await next.body.text()).toBe('hello, pyftpdlib');
    } finally {
      await connector.close();
    }
  });

  it('refuses a path with a line break before sending anything', async () => {
    await using client = createClient(ftp(server.url));
    await expect(client.get('/a.txt\r\nDELE /a.txt')).rejects.toSatisfy(
      (error: unknown) => error instanceof ParleyError && error.status === 'bad_request',
    );
    expect(readFileSync(join(server.root, 'a.txt'), 'utf8')).toBe('hello, pyftpdlib');
  });
});

describe.skipIf(!available)('FTP client logging in to pyftpdlib', () => {
  let server: Pyftpdlib;
  beforeAll(async () => {
    server = await startPyftpdlib({ name: 'alice', password: 's3cret' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('logs in with the URL credentials', async () => {
    const url = new URL(server.url);
    url.username = 'alice';
    url.password = 's3cret';
    await using client = createClient(ftp(url.href));
    expect((await client.put('/mine.txt', 'mine')).status).toBe('ok');
    expect(await (await client.get('/mine.txt')).body.text()).toBe('mine');
  });

  it('answers a refused login with unauthenticated', async () => {
    const url = new URL(server.url);
    url.username = 'alice';
    url.password = 'wrong';
    await using client = createClient(ftp(url.href), { retries: 0 });
    await using anonymous = createClient(ftp(server.url), { retries: 0 });
    // pyftpdlib delays each refusal by a few seconds: wait for both at once.
    const [refused, unnamed] = await Promise.all([client.get('/mine.txt'), anonymous.head('/mine.txt')]);
    expect(refused.status).toBe('unauthenticated');
    expect(unnamed.status).toBe('unauthenticated');
  });

  it('fails with a retryable unavailable when nothing listens', async () => {
    await using client = createClient(ftp('ftp://127.0.0.1:1'), { retries: 0 });
    await expect(client.get('/x')).rejects.toSatisfy(
      (error: unknown) => error instanceof ParleyError && error.status === 'unavailable' && error.retryable,
    );
  });
});
