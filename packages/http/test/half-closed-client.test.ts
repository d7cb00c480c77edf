import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach, statusCode } from './helpers.js';

const start = serveEach();

/** A handler that answers a little later, after the client has closed its side. */
const later = async (request: { path: string }) => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  return respond('ok', `answer to ${request.path}`);
};

describe('a client that half-closes its connection after its requests (printf | nc -N, shutdown(SHUT_WR))', () => {
  it('still gets the answer to its request, then the connection closes', async () => {
    const { port } = await start(later);
    const conn = await rawConnection(port);
    conn.socket.end('GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(200);
    expect(raw).toContain('answer to /one');
  });

  it('gets the answers to every request it pipelined before closing its side, in order', async () => {
    const { port } = await start(later);
    const conn = await rawConnection(port);
    let requests = '';
    for (let i = 0; i < 20; i++) requests += `GET /r${i} HTTP/1.1\r\nHost: x\r\n\r\n`;
    conn.socket.end(requests);
    const raw = await conn.closed;
    const answers = [...raw.matchAll(/answer to \/r(\d+)/g)].map((match) => Number(match[1]));
    expect(answers).toEqual([...Array(20).keys()]);
  });

  it('over HTTP/1.0 too', async () => {
    const { port } = await start(later);
    const conn = await rawConnection(port);
    conn.socket.end('GET /old HTTP/1.0\r\n\r\n');
    const raw = await conn.closed;
    expect(raw).toMatch(/^HTTP\/1\.1 200/);
    expect(raw).toContain('answer to /old');
  });
});

describe("the request's signal of a client that half-closed", () => {
  it('aborts, for requests pipelined before the close too; answers still go out', async () => {
    const reasons: string[] = [];
    const { port } = await start(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      reasons.push(request.signal.aborted ? 'aborted' : 'live');
      return respond('ok', `answer to ${request.path}`);
    });
    const conn = await rawConnection(port);
    conn.socket.end('PUT /a HTTP/1.1\r\nHost: x\r\n\r\nPUT /b HTTP/1.1\r\nHost: x\r\n\r\n');
    const raw = await conn.closed;
    expect(raw).toContain('answer to /a');
    expect(raw).toContain('answer to /b');
    expect(reasons).toEqual(['aborted', 'aborted']);
  });
});
