import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach, statusCode } from './helpers.js';

const start = serveEach();

describe('the HTTP version of a request line', () => {
  it('answers 505 to HTTP/2.0 in a request line, without reaching the handler', async () => {
    let called = 0;
    const { port } = await start(async () => {
      called++;
      return respond('ok', 'hello');
    });
    // (node:http itself answers 400 to versions it cannot parse, such as HTTP/3.0.)
    const conn = await rawConnection(port, 'GET /a HTTP/2.0\r\nHost: x\r\nConnection: close\r\n\r\n');
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(505);
    expect(raw).toContain('HTTP/1.x');
    const ok = await rawConnection(port, 'GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(statusCode(await ok.closed)).toBe(200);
    expect(called).toBe(1);
  });
});
