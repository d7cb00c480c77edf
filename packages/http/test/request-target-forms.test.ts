import { refuseCrossSite, refuseUnknownHosts, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();

/** Sends one request head on a new connection; resolves with the whole answer. */
async function ask(port: number, line: string): Promise<string> {
  const connection = await rawConnection(port, `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  return connection.closed;
}

describe('request targets in the forms RFC 9112 names', () => {
  it('takes the absolute form (a client that sends it, as to a proxy) as the path it names', async () => {
    const seen: string[] = [];
    const { port } = await start(async (request) => {
      seen.push(`${request.method} ${request.path} ${request.query.get('q') ?? ''}`);
      return respond('ok', 'here');
    });
    const answers = [
      await ask(port, `GET http://127.0.0.1:${port}/notes/a%20b.txt?q=1 HTTP/1.1`),
      await ask(port, 'GET HTTP://example.com/notes/ HTTP/1.1'),
      await ask(port, 'HEAD https://example.com HTTP/1.1'),
    ];
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(seen).toEqual(['GET /notes/a b.txt 1', 'LIST /notes/ ', 'HEAD / ']);
  });

  it('still refuses an absolute target with a bad escape, an encoded slash or another scheme', async () => {
    const { port } = await start(async () => respond('ok'));
    expect(await ask(port, 'GET http://x/a%2Fb HTTP/1.1')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await ask(port, 'GET http://x/bad%zz HTTP/1.1')).toMatch(/^HTTP\/1\.1 400 /);
    expect(await ask(port, 'GET ftp://x/a HTTP/1.1')).toMatch(/^HTTP\/1\.1 400 /);
  });

  it('takes the host an absolute target names as the request host, not the Host field (RFC 9112, 3.2.2)', async () => {
    const hosts: (string | undefined)[] = [];
    const { port } = await start(
      async (request) => {
        hosts.push(request.headers.get('host'));
        return respond('ok');
      },
      {},
      { middleware: [refuseUnknownHosts(), refuseCrossSite()] },
    );
    // Host: 127.0.0.1 passes the checks; the host the request names does not.
    expect(await ask(port, 'GET http://evil.example/a HTTP/1.1')).toMatch(/^HTTP\/1\.1 403 /);
    expect(await ask(port, `GET http://127.0.0.1:${port}/a HTTP/1.1`)).toMatch(/^HTTP\/1\.1 200 /);
    expect(hosts).toEqual([`127.0.0.1:${port}`]);
  });

  it('answers OPTIONS * (the asterisk form) with 204 and Allow', async () => {
    const { port } = await start(async () => respond('ok'));
    const answer = await ask(port, 'OPTIONS * HTTP/1.1');
    expect(answer).toMatch(/^HTTP\/1\.1 204 /);
    expect(answer.toLowerCase()).toContain('allow: get, head, put, post, delete, move, options');
  });
});
