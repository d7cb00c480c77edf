import {
  createClient,
  createRouter,
  createServer,
  type Handler,
  memory,
  type ParleyError,
  respond,
  type Transport,
} from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';

/** What a handler written in plain JavaScript may resolve with instead of a Response. */
const odd: [string, unknown, RegExp][] = [
  ['undefined', undefined, /returned undefined, not a Response/],
  ['null', null, /returned null, not a Response/],
  ['a string', 'hello', /returned string, not a Response/],
  ['an object without a status', { body: 'x' }, /status undefined, which is not a Parley status/],
  [
    'an unknown status',
    respond('teapot' as never, 'short and stout'),
    /status "teapot", which is not a Parley status/,
  ],
  ['plain headers and body', { status: 'ok', headers: {}, body: 'x' }, /not built with respond\(\)/],
];

const transports: [string, (url: string) => Transport, string][] = [
  ['memory', (url) => memory(url), 'memory://handler-results'],
  ['http', http, 'http://127.0.0.1:0'],
  ['ws', ws, 'ws://127.0.0.1:0/parley'],
  ['ftp', (url) => ftp(url), 'ftp://127.0.0.1:0'],
];

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

describe('a handler that resolves with something other than a Response', () => {
  it.each(transports)(
    'is answered internal over %s, at once, and reported to onError',
    async (_, make, url) => {
      const reported: ParleyError[] = [];
      let router = createRouter();
      for (const [index, [, value]] of odd.entries()) {
        router = router.get(`/odd-${index}`, (async () => value) as unknown as Handler);
      }
      const server = createServer(router, { onError: (error) => reported.push(error) });
      closing.push(() => server.close({ timeoutMs: 1000 }));
      const listener = await server.listen(make(url));
      const client = createClient(
        make(listener.url.startsWith('ftp') ? listener.url.replace('//', '//anonymous:x@') : listener.url),
        {
          timeoutMs: 10_000,
        },
      );
      closing.push(() => client.close());
      for (const [index, [what, , reason]] of odd.entries()) {
        const response = await client.get(`/odd-${index}`);
        expect(response.status, what).toBe('internal');
        await response.body.text();
        expect(reported.at(-1)?.message, what).toMatch(reason);
      }
      expect(reported).toHaveLength(odd.length);
    },
  );
});
