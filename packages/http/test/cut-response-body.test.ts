import { createClient, ParleyError } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';

const servers: RawServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A raw HTTP server that writes `head` and `body` to each request, then cuts the connection. */
async function cuttingServer(head: string, body: Buffer): Promise<string> {
  const server = await startRawServer((socket) => {
    socket.write(head);
    socket.end(body);
  });
  servers.push(server);
  return server.url;
}

/** What reading a body ends with: its byte count, or the error's status and kind. */
async function outcome(read: Promise<Uint8Array>): Promise<string> {
  return read.then(
    (bytes) => `read ${bytes.byteLength} bytes`,
    (error: unknown) => (error instanceof ParleyError ? `ParleyError ${error.status}` : `${String(error)}`),
  );
}

describe('a response body cut off after its head', () => {
  const large = Buffer.alloc(256 * 1024, 0x61);

  it('fails the body read with a ParleyError when a chunked body stops before its last chunk', async () => {
    const url = await cuttingServer(
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n',
      Buffer.concat([Buffer.from(`${large.byteLength.toString(16)}\r\n`), large, Buffer.from('\r\n')]),
    );
    await using client = createClient(http(url));
    const response = await client.get('/large.bin');
    expect(response.status).toBe('ok');
    expect(await outcome(response.body.bytes())).toBe('ParleyError unavailable');
  });

  it('fails the body read with a ParleyError when fewer bytes come than content-length says', async () => {
    const url = await cuttingServer(
      `HTTP/1.1 200 OK\r\ncontent-length: ${2 * large.byteLength}\r\n\r\n`,
      large,
    );
    await using client = createClient(http(url));
    const response = await client.get('/large.bin');
    expect(await outcome(response.body.bytes())).toBe('ParleyError unavailable');
  });

  it('gives the answer, then fails its body read, when a small body (gathered whole) is cut short', async () => {
    const url = await cuttingServer('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n', Buffer.from('hello'));
    await using client = createClient(http(url));
    const response = await client.get('/small.txt');
    expect(response.status).toBe('ok');
    expect(response.body.size).toBe(100);
    expect(await outcome(response.body.bytes())).toBe('ParleyError unavailable');
  });

  it('keeps the failure of a body cut off before anything reads it for its reader, uncaught by none', async () => {
    const url = await cuttingServer(
      `HTTP/1.1 200 OK\r\ncontent-length: ${2 * large.byteLength}\r\n\r\n`,
      Buffer.alloc(100),
    );
    await using client = createClient(http(url));
    const response = await client.get('/large.bin');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await outcome(response.body.bytes())).toBe('ParleyError unavailable');
  });

  it('reads a body delimited by the connection closing whole', async () => {
    const url = await cuttingServer('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n', large);
    await using client = createClient(http(url));
    const response = await client.get('/large.bin');
    expect(await outcome(response.body.bytes())).toBe(`read ${large.byteLength} bytes`);
  });
});
