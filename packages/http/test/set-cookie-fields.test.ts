import { createClient, respond } from '@parley/core';
import { http } from '@parley/http';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();

describe('set-cookie fields of a response', () => {
  it('go out one field line per cookie: joined by commas, a browser keeps only the first', async () => {
    const { port } = await start(async () =>
      respond('ok', 'x', [
        ['set-cookie', 'a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/'],
        ['set-cookie', 'b=2; HttpOnly'],
        ['set-cookie', 'c=3'],
      ]),
    );
    const connection = await rawConnection(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const head = (await connection.closed).split('\r\n\r\n')[0] ?? '';
    const cookies = head
      .split('\r\n')
      .filter((line) => line.toLowerCase().startsWith('set-cookie:'))
      .map((line) => line.slice('set-cookie:'.length).trim());
    expect(cookies).toEqual(['a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/', 'b=2; HttpOnly', 'c=3']);
  });

  it('go out in order among the other fields, without those the connection owns', async () => {
    const { port } = await start(async () =>
      respond('ok', 'hello', [
        ['x-first', '1'],
        ['content-length', '5'],
        ['set-cookie', 'a=1'],
        ['transfer-encoding', 'chunked'],
        ['set-cookie', 'b=2; Expires=Wed, 21 Oct 2037 07:28:00 GMT'],
        ['connection', 'upgrade'],
        ['x-last', '2'],
      ]),
    );
    const connection = await rawConnection(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const [head, body] = (await connection.closed).split('\r\n\r\n');
    const fields = (head ?? '')
      .split('\r\n')
      .slice(1)
      .map((line) => line.toLowerCase());
    expect(fields.filter((line) => !line.startsWith('date:'))).toEqual([
      'x-first: 1',
      'set-cookie: a=1',
      'set-cookie: b=2; expires=wed, 21 oct 2037 07:28:00 gmt',
      'x-last: 2',
      'content-length: 5',
      // node:http's own, for a client that asked to close.
      'connection: close',
    ]);
    expect(body).toBe('hello');
  });

  it('reach a client one per cookie through getSetCookie', async () => {
    const cookies = ['a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/', 'b=2; HttpOnly', 'c=3'];
    const { url } = await start(async () =>
      respond(
        'ok',
        'x',
        cookies.map((cookie) => ['set-cookie', cookie] as [string, string]),
      ),
    );
    await using client = createClient(http(url));
    const response = await client.get('/');
    await response.body.cancel();
    expect(response.headers.getSetCookie()).toEqual(cookies);
  });
});
