import { appendFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { servedFolder } from './support.js';

/** Larger than every buffer between the server's file and a client that does not read yet. */
const SIZE = 64 * 1024 * 1024;
const served = servedFolder('parley-serve-growing-', [], (dir) => {
  writeFileSync(join(dir, 'log.txt'), Buffer.alloc(SIZE, 'a'));
  writeFileSync(join(dir, 'small.txt'), 'small\n');
});
const { dir } = served;

/** Reads from a raw socket: `take(n)` resolves with the next n bytes, `until(text)` up to and with `text`. */
function reader(socket: Socket) {
  let chunks: Buffer[] = [];
  let length = 0;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.byteLength;
    wake?.();
  });
  const more = () => new Promise<void>((resolve) => (wake = resolve));
  const take = async (bytes: number): Promise<Buffer> => {
    while (length < bytes) await more();
    const all = Buffer.concat(chunks, length);
    chunks = [all.subarray(bytes)];
    length -= bytes;
    return all.subarray(0, bytes);
  };
  return {
    take,
    async until(text: string): Promise<string> {
      for (;;) {
        const at = Buffer.concat(chunks, length).indexOf(text);
        if (at >= 0) return (await take(at + text.length)).toString('latin1');
        await more();
      }
    },
  };
}

describe('parley serve sends a file that grows while it is sent', () => {
  it('as long as its content-length says, so the next answer on the connection stays whole', async () => {
    const url = new URL(served.serving.urls.http as string);
    const socket = connect(Number(url.port), url.hostname);
    socket.on('error', () => {});
    const read = reader(socket);
    socket.write(`GET /log.txt HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
    const head = await read.until('\r\n\r\n');
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    expect(length).toBe(SIZE);
    socket.pause();
    // Written while the server is still sending: a forged answer for the next request.
    appendFileSync(join(dir, 'log.txt'), 'HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nforged');
    socket.resume();
    const body = await read.take(length);
    expect(body.every((byte) => byte === 0x61)).toBe(true);
    socket.write(`GET /small.txt HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`);
    const next = await read.until('\r\n\r\n');
    expect(next).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(next).toMatch(/content-length: 6\r\n/i);
    expect((await read.take(6)).toString()).toBe('small\n');
    socket.destroy();
  }, 120_000);
});
