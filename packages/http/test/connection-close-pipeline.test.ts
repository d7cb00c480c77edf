import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();

describe('a request with Connection: close followed by more pipelined requests', () => {
  it('is answered, the connection then closed, and the requests after it never run', async () => {
    const ran: string[] = [];
    const { port } = await start(async (request) => {
      ran.push(`${request.method} ${request.path}`);
      return respond('ok', 'answered');
    });
    const connection = await rawConnection(
      port,
      'GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nDELETE /a HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    const text = await connection.closed;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text.endsWith('answered')).toBe(true);
    expect(text.split('HTTP/1.1 ').length).toBe(2);
    expect(ran).toEqual(['GET /a']);
  });

  it('still answers 400 to a request that cannot be parsed', async () => {
    const { port } = await start(async () => respond('ok'));
    const connection = await rawConnection(port, 'GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n');
    expect(await connection.closed).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});
