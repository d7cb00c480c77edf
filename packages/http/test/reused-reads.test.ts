import { createHash } from 'node:crypto';
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

const servers: RawServer[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** `size` bytes that differ from one offset to the next, starting from `seed`. */
function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) bytes.writeUInt32LE((i + seed) >>> 0, i);
  return bytes;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes `bytes` in pieces of `piece` bytes, pausing between them so the client reads each apart. */
async function trickle(socket: Socket, bytes: Buffer, piece: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += piece) {
    socket.write(bytes.subarray(at, at + piece));
    await sleep(1);
  }
}

/**
 * A keep-alive server answering each request on a connection by its path: /big with `big` in
 * pieces, /split with a head cut in two writes apart and `small` as body, /chunked with `big` in
 * chunked encoding and a trailer, /tiny with a few bytes.
 */
async function startServer(big: Buffer, small: Buffer): Promise<string> {
  const server = await startTalkingServer((socket) => {
    let pending = '';
    let queue = Promise.resolve();
    socket.on('data', (data: Buffer) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const path = /^[A-Z]+ (\S+)/.exec(pending)?.[1];
        pending = pending.slice(end + 4);
        queue = queue.then(() => answer(socket, path));
      }
    });
  });
  servers.push(server);
  async function answer(socket: Socket, path: string | undefined): Promise<void> {
    if (path === '/big') {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${big.length}\r\n\r\n`);
      await trickle(socket, big, 300_000);
    } else if (path === '/split') {
      const head = `HTTP/1.1 200 OK\r\nx-first: ${'a'.repeat(3000)}\r\nx-second: ${'b'.repeat(3000)}\r\ncontent-length: ${small.length}\r\n\r\n`;
      socket.write(head.slice(0, 2000));
      await sleep(30);
      socket.write(head.slice(2000, 4000));
      await sleep(30);
      socket.write(head.slice(4000));
      await trickle(socket, small, 50_000);
    } else if (path === '/chunked') {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
      for (let at = 0; at < big.length; at += 700_000) {
        const part = big.subarray(at, at + 700_000);
        socket.write(`${part.length.toString(16)}\r\n`);
        await trickle(socket, part, 300_000);
        socket.write('\r\n');
      }
      socket.write('0\r\nx-trailer: done\r\n\r\n');
    } else {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello');
    }
  }
  return server.url;
}

describe('HTTP downloads read into a reused buffer while their chunks are lent', () => {
  it('keep every body and head intact on one connection: lent, split heads, streamed, chunked, gathered', async () => {
    const big = pattern(5 * 1024 * 1024 + 7, 1);
    const small = pattern(700_000, 2);
    const url = await startServer(big, small);
    await using client = createClient(http(url, { connections: 1 }));
    for (let round = 0; round < 2; round++) {
      const lent = await client.get('/big');
      const hash = createHash('sha256');
      await lent.body.lend((chunk) => hash.update(chunk));
      expect(hash.digest('hex')).toBe(sha256(big));

      // The head after a lent body comes in three reads: its fields must not be overwritten.
      const split = await client.get('/split');
      expect(split.headers.get('x-first')).toBe('a'.repeat(3000));
      expect(split.headers.get('x-second')).toBe('b'.repeat(3000));
      // Read as a stream, slowly: chunks kept in the stream must not be overwritten either.
      const parts: Uint8Array[] = [];
      for await (const chunk of split.body.stream()) {
        parts.push(chunk as Uint8Array);
        await sleep(2);
      }
      expect(sha256(Buffer.concat(parts))).toBe(sha256(small));

      const chunked = await client.get('/chunked');
      const chunkedHash = createHash('sha256');
      await chunked.body.lend((chunk) => chunkedHash.update(chunk));
      expect(chunkedHash.digest('hex')).toBe(sha256(big));

      const tiny = await client.get('/tiny');
      expect(await tiny.body.text()).toBe('hello');

      // Lent after the body had filled its stream: the queued chunks, then the rest.
      const late = await client.get('/big');
      await sleep(50);
      const lateHash = createHash('sha256');
      await late.body.lend((chunk) => lateHash.update(chunk));
      expect(lateHash.digest('hex')).toBe(sha256(big));
    }
  });

  it('keep a body intact when its reader borrows some chunks and then stops', async () => {
    const big = pattern(3 * 1024 * 1024, 3);
    const url = await startServer(big, pattern(10, 4));
    await using client = createClient(http(url, { connections: 1 }));
    const first = await client.get('/big');
    let seen = 0;
    await expect(
      first.body.lend((chunk) => {
        seen += chunk.byteLength;
        if (seen > 1024 * 1024) throw new Error('enough');
      }),
    ).rejects.toThrow('enough');
    const second = await client.get('/big');
    expect(sha256(await second.body.bytes())).toBe(sha256(big));
  });
  it('hand each read after a lent one straight to the parser, not through the socket', async () => {
    const big = pattern(5 * 1024 * 1024 + 7, 5);
    const url = await startServer(big, pattern(10, 6));
    await using client = createClient(http(url, { connections: 1 }));
    // Only the client's sockets receive reads this large (the server's receive requests).
    let pushes = 0;
    const push = Socket.prototype.push;
    vi.spyOn(Socket.prototype, 'push').mockImplementation(function (this: Socket, chunk, encoding) {
      if (chunk !== null && (chunk as Buffer).byteLength > 100_000) pushes++;
      return push.call(this, chunk, encoding);
    });
    const response = await client.get('/big');
    const hash = createHash('sha256');
    let chunks = 0;
    let pushesBeforeLending: number | undefined;
    await response.body.lend((chunk) => {
      pushesBeforeLending ??= pushes;
      chunks++;
      hash.update(chunk);
    });
    expect(hash.digest('hex')).toBe(sha256(big));
    // Reads of at most 1 MiB: six or more carry the body.
    expect(chunks).toBeGreaterThanOrEqual(6);
    // At most the read after one whose chunks the stream kept goes through the socket's queue.
    expect(pushes - (pushesBeforeLending ?? 0)).toBeLessThanOrEqual(1);
  });
});
