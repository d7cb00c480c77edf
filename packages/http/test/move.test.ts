import { request as httpRequest } from 'node:http';
import { createRouter, moveDestination, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

/** Sends one raw HTTP request; resolves with the status code and body text. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('MOVE over HTTP', () => {
  const serve = serveEach();
  const router = createRouter().move('/notes/:name', async (request) =>
    respond('ok', `${request.params.name} -> ${moveDestination(request)}`),
  );

  it('reads the Destination as a path or as an absolute URL of the same host', async () => {
    const { port } = await serve(router.handle);
    const host = `127.0.0.1:${port}`;
    for (const destination of ['/notes/b%20%C3%A9.txt', `http://${host}/notes/b%20%C3%A9.txt?x=1`]) {
      const answer = await send(port, 'MOVE', '/notes/a.txt', { destination });
      expect(answer, destination).toEqual({ code: 200, body: 'a.txt -> /notes/b é.txt' });
    }
  });

  it('refuses a missing Destination, another host, and one that is no path, with 400', async () => {
    const { port } = await serve(router.handle);
    const cases: [Record<string, string>, string][] = [
      [{}, 'needs a Destination'],
      [{ destination: 'http://elsewhere.example/notes/b.txt' }, 'must be on this server'],
      [{ destination: `ftp://127.0.0.1:${port}/notes/b.txt` }, 'absolute URL or a path'],
      [{ destination: 'notes/b.txt' }, 'absolute URL or a path'],
      [{ destination: '/notes/a%2Fb' }, 'not a valid, percent-encoded path'],
      [{ destination: '/notes/b%E2%80%AE.txt' }, 'bidirectional'],
    ];
    for (const [headers, message] of cases) {
      const answer = await send(port, 'MOVE', '/notes/a.txt', headers);
      expect(answer.code, JSON.stringify(headers)).toBe(400);
      expect(answer.body).toContain(message);
    }
  });

  it('lists MOVE in allow for OPTIONS and in 405 answers', async () => {
    const { port } = await serve(createRouter().get('/notes/:name', async () => respond('ok')).handle);
    const refused = await send(port, 'MOVE', '/notes/a.txt', { destination: '/notes/b.txt' });
    expect(refused.code).toBe(405);
    const options = await new Promise<string | undefined>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, method: 'OPTIONS', path: '/' }, (res) => {
        res.resume();
        resolve(res.headers.allow);
      })
        .on('error', reject)
        .end();
    });
    expect(options).toContain('MOVE');
  });
});
