import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { hostFieldProblem } from '../src/server/host-field.js';
import { rawConnection, serveEach, statusCode } from './helpers.js';

const start = serveEach();

/** The status line code a raw request gets, and the hosts the handler saw. */
async function send(head: string): Promise<{ code: number; seen: string[] }> {
  const seen: string[] = [];
  const { port } = await start(async (request) => {
    seen.push(request.headers.get('host') ?? '(none)');
    return respond('ok', 'hello');
  });
  const conn = await rawConnection(port, `${head}Connection: close\r\n\r\n`);
  return { code: statusCode(await conn.closed), seen };
}

describe('the Host field (RFC 9112, 3.2: 400 for more than one, or an invalid value)', () => {
  it('answers 400 to two Host fields, without reaching the handler', async () => {
    expect(await send('GET /a HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n')).toEqual({
      code: 400,
      seen: [],
    });
  });

  it('judges each request of a connection on its own Host, good or bad, in any order', () => {
    const good = ['HOST', 'example.org:8080'];
    expect(hostFieldProblem(good)).toBeUndefined();
    expect(hostFieldProblem(['host', 'example.org:8080'])).toBeUndefined();
    expect(hostFieldProblem(['Host', 'example.org:80x'])).toMatch(/is not a host name/);
    expect(hostFieldProblem(good)).toBeUndefined();
    expect(hostFieldProblem(['Host', 'a b'])).toMatch(/is not a host name/);
    expect(hostFieldProblem(['Host', 'a b'])).toMatch(/is not a host name/);
    expect(hostFieldProblem(['X-Host', 'a b', ...good])).toBeUndefined();
    expect(hostFieldProblem([...good, 'hOsT', 'example.org:8080'])).toMatch(/not several/);
  });

  it('answers 400 to a Host with user info, a path or spaces', async () => {
    for (const host of ['user:pw@localhost', 'localhost/x', 'a b', 'localhost:8o']) {
      expect(await send(`GET /a HTTP/1.1\r\nHost: ${host}\r\n`)).toEqual({ code: 400, seen: [] });
    }
  });

  it('takes names, IPv4 and IPv6 addresses, with or without a port', async () => {
    for (const host of [
      'localhost',
      'files.example.com:8080',
      '127.0.0.1:80',
      '[::1]:8080',
      'xn--bcher-kva.example',
    ]) {
      expect(await send(`GET /a HTTP/1.1\r\nHost: ${host}\r\n`)).toEqual({ code: 200, seen: [host] });
    }
  });
});
