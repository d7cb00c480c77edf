import { gzipSync } from 'node:zlib';
import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach, statusCode } from './helpers.js';

const start = serveEach();

/** A handler that records the bodies it was given. */
function recording() {
  const bodies: string[] = [];
  const handler = async (request: { body: { text(): Promise<string> } }) => {
    bodies.push(await request.body.text());
    return respond('created');
  };
  return { bodies, handler };
}

/** `bytes` as one HTTP/1.1 chunk and the last chunk. */
function chunked(bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`${bytes.byteLength.toString(16)}\r\n`),
    bytes,
    Buffer.from('\r\n0\r\n\r\n'),
  ]);
}

describe('request transfer codings other than chunked', () => {
  it('answers 501 to Transfer-Encoding: gzip, chunked, and the handler never sees the coded bytes', async () => {
    const { bodies, handler } = recording();
    const { port } = await start(handler);
    const head =
      'PUT /notes/a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n';
    const conn = await rawConnection(port);
    conn.socket.write(Buffer.concat([Buffer.from(head), chunked(gzipSync('hello'))]));
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(501);
    expect(raw).toContain('gzip');
    expect(bodies).toEqual([]);
  });

  it('answers 501 to a coding in a second Transfer-Encoding field', async () => {
    const { bodies, handler } = recording();
    const { port } = await start(handler);
    const head =
      'PUT /notes/a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    const conn = await rawConnection(port);
    conn.socket.write(Buffer.concat([Buffer.from(head), chunked(Buffer.from('x'))]));
    expect(statusCode(await conn.closed)).toBe(501);
    expect(bodies).toEqual([]);
  });

  it('still takes chunked alone, in any case', async () => {
    const { bodies, handler } = recording();
    const { port } = await start(handler);
    const head =
      'PUT /notes/a.txt HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n';
    const conn = await rawConnection(port);
    conn.socket.write(Buffer.concat([Buffer.from(head), chunked(Buffer.from('plain'))]));
    expect(statusCode(await conn.closed)).toBe(201);
    expect(bodies).toEqual(['plain']);
  });
});
