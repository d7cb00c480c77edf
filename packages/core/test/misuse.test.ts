import { Body, createRouter, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';

describe('mistakes a JavaScript caller can make get a clear error at once', () => {
  it.each([
    ['a number', 123, 'a number'],
    ['a plain object', { text: 'hello' }, 'a plain object'],
    ['an array of chunks', [new Uint8Array(1)], 'an array'],
    ['a boolean', true, 'a boolean'],
  ])('Body.from refuses %s, naming what a body may be', (_, value, what) => {
    const expected = `A body is a string, bytes (Uint8Array, ArrayBuffer), a Blob, a stream or an async iterable of bytes, not ${what}`;
    expect(() => Body.from(value as never)).toThrow(new TypeError(expected));
    expect(() => respond('ok', value as never)).toThrow(expected);
  });

  it.each([
    ['/files/*/meta', /\* may only be the last segment/],
    ['/notes/:', /a : must be followed by a parameter name/],
    ['/a/:name/b/:name', /names the parameter :name twice/],
  ])('a route %s that could never match as meant is refused when added', (pattern, message) => {
    expect(() => createRouter().get(pattern, async () => respond('ok'))).toThrow(message);
  });

  it('still takes final stars, parameters and literal routes', () => {
    const router = createRouter()
      .get('/files/*', async () => respond('ok'))
      .get('/notes/:name', async () => respond('ok'))
      .get('/a/:x/b/:y', async () => respond('ok'))
      .get('notes', async () => respond('ok'));
    expect(router.allows('GET', '/notes')).toBe('ok');
  });
});
