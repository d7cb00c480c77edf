import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Body, createClient, ParleyError, respond } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';
import { serveEach } from './helpers.js';

const start = serveEach();
const raw: RawServer[] = [];
afterEach(async () => {
  await Promise.all(raw.splice(0).map((server) => server.close()));
});

/** `size` bytes that differ from one offset to the next (each 4-byte word holds its offset). */
function pattern(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) bytes.writeUInt32LE(i, i);
  return bytes;
}

/** Serves `bytes` at every path, streamed in 100 000-byte chunks with their content-length. */
async function serveBytes(bytes: Buffer): Promise<string> {
  const { url } = await start(async () => {
    const chunks = function* () {
      for (let at = 0; at < bytes.length; at += 100_000) yield bytes.subarray(at, at + 100_000);
    };
    return respond('ok', Body.from(Readable.from(chunks()), bytes.length));
  });
  return url;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('a streamed HTTP response body lent chunk by chunk (Body.lend)', () => {
  it('lends every chunk in order, whether the body held it already or undici parsed it after', async () => {
    const bytes = pattern(4 * 1024 * 1024 + 3);
    await using client = createClient(http(await serveBytes(bytes)));
    const response = await client.get('/big');
    // The body fills its buffer (and undici pauses) before the reader starts lending.
    await sleep(50);
    const hash = createHash('sha256');
    let total = 0;
    const lending = response.body.lend((chunk) => {
      hash.update(chunk);
      total += chunk.byteLength;
    });
    expect(lending).toBeDefined();
    await lending;
    expect(total).toBe(bytes.length);
    expect(hash.digest('hex')).toBe(sha256(bytes));
    expect(response.body.used).toBe(true);
  });

  it('stops the exchange with what the consumer threw, and frees the connection', async () => {
    const bytes = pattern(2 * 1024 * 1024);
    await using client = createClient(http(await serveBytes(bytes), { connections: 1 }));
    const response = await client.get('/big');
    const failure = new Error('disk full');
    let calls = 0;
    await expect(
      response.body.lend(() => {
        calls++;
        if (calls === 3) throw failure;
      }),
    ).rejects.toBe(failure);
    expect(calls).toBe(3);
    // With one connection, this is only answered if the broken exchange let go of it.
    const next = await client.get('/again');
    expect(sha256(await next.body.bytes())).toBe(sha256(bytes));
  });

  it("fails when the call's signal aborts while chunks are lent", async () => {
    const { url } = await start(async () =>
      respond(
        'ok',
        (async function* () {
          yield new Uint8Array(100_000);
          await new Promise(() => {});
        })(),
      ),
    );
    await using client = createClient(http(url));
    const controller = new AbortController();
    const response = await client.get('/stalled', { signal: controller.signal });
    let total = 0;
    const lending = response.body.lend((chunk) => {
      total += chunk.byteLength;
      if (total === 100_000) controller.abort();
    });
    await expect(lending).rejects.toMatchObject({ status: 'cancelled' });
    expect(total).toBe(100_000);
  });

  it('fails as unavailable when the body ends before its content-length', async () => {
    const server = await startRawServer((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 200000\r\n\r\n${'x'.repeat(100_000)}`);
      setTimeout(() => socket.end(), 20);
    });
    raw.push(server);
    await using client = createClient(http(server.url));
    const response = await client.get('/short');
    let total = 0;
    const failure = await response.body
      .lend((chunk) => {
        total += chunk.byteLength;
      })
      ?.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect((failure as ParleyError).status).toBe('unavailable');
    expect(total).toBe(100_000);
  });

  it('fails at once when the body was cut off before the reader started lending', async () => {
    const server = await startRawServer((socket) => {
      socket.end(`HTTP/1.1 200 OK\r\ncontent-length: 200000\r\n\r\n${'x'.repeat(100)}`);
    });
    raw.push(server);
    await using client = createClient(http(server.url));
    const response = await client.get('/cut');
    await sleep(100);
    const failure = await response.body.lend(() => {})?.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect((failure as ParleyError).status).toBe('unavailable');
  });
});
