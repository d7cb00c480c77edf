import { createClient, ParleyError, type Request, respond } from '@parley/core';
import { http } from '@parley/http';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();
const MiB = 1024 * 1024;

/** Reads a request body until `bytes` came, then refuses it (as a store that finds its disk full). */
async function refuseAfter(request: Request, bytes: number): Promise<never> {
  let read = 0;
  for await (const chunk of request.body) {
    read += chunk.byteLength;
    if (read >= bytes) break;
  }
  throw new ParleyError('insufficient_storage', 'The disk is full');
}

const handler = async (request: Request) =>
  request.path === '/big'
    ? refuseAfter(request, MiB)
    : respond('ok', `${(await request.body.bytes()).byteLength}`);

describe('a response given before the request body was read to its end', () => {
  it('leaves the connection able to carry the next request: the rest of the body is read and thrown away', async () => {
    const { port } = await start(handler);
    const big = 5 * MiB;
    const conn = await rawConnection(port);
    conn.socket.write(`POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: ${big}\r\n\r\n`);
    conn.socket.write(Buffer.alloc(big, 'a'));
    conn.socket.write('POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi');
    const raw = await Promise.race([
      conn.waitFor('\r\n\r\n2'),
      conn.closed.then((text) => `closed: ${text}`),
    ]);
    expect(raw).toMatch(/^HTTP\/1\.1 507 .*\r\n[\s\S]*The disk is full[\s\S]*HTTP\/1\.1 200 OK\r\n/);
    conn.socket.destroy();
  });

  it('over a body longer than lingerBytes, closes the connection gently, the answer whole', async () => {
    const { port } = await start(handler, { maxBodyBytes: 128 * MiB, lingerBytes: 2 * MiB, lingerMs: 5_000 });
    const conn = await rawConnection(port);
    conn.socket.on('error', () => {});
    conn.socket.write(`POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: ${64 * MiB}\r\n\r\n`);
    for (let sent = 0; sent < 8 * MiB && !conn.socket.destroyed; sent += MiB) {
      conn.socket.write(Buffer.alloc(MiB, 'a'));
    }
    const raw = await conn.closed;
    expect(raw).toMatch(/^HTTP\/1\.1 507 [\s\S]*The disk is full$/);
  });

  it('lets one client alternate refused uploads and small requests on its connections, each answered', async () => {
    const { url } = await start(handler);
    const client = createClient(http(url), { retries: 0 });
    try {
      for (let round = 0; round < 4; round++) {
        const refused = await client.post('/big', new Uint8Array(5 * MiB));
        expect(refused.status).toBe('insufficient_storage');
        await refused.body.cancel();
        const small = await client.post('/small', 'hi');
        expect([small.status, await small.body.text()]).toEqual(['ok', '2']);
      }
    } finally {
      await client.close();
    }
  });
});
