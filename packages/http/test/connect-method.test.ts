import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach, statusCode } from './helpers.js';

const start = serveEach();

describe('CONNECT', () => {
  it('is answered 501 with a readable reason, as other methods Parley does not carry, instead of a dropped connection', async () => {
    let called = false;
    const { port } = await start(async () => {
      called = true;
      return respond('ok');
    });
    const conn = await rawConnection(
      port,
      'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    );
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(501);
    expect(raw).toMatch(/^allow: GET, HEAD, PUT, POST, DELETE, MOVE, OPTIONS$/im);
    expect(raw).toContain('CONNECT is not carried');
    expect(called).toBe(false);
  });
});
