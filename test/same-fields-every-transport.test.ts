import { type Client, createRouter, ParleyError, type Request, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { servedOverEveryTransport } from './support/every-transport.js';

let seen: { fields: Record<string, string>; body: string } | undefined;
const record = async (request: Request) => {
  const fields: Record<string, string> = {};
  for (const [name, value] of request.headers) if (name.startsWith('x-')) fields[name] = value;
  seen = { fields, body: Buffer.from(await request.body.bytes()).toString('hex') };
  return respond('ok');
};
const router = createRouter().post('/notes/:name', record);
const clients = servedOverEveryTransport(router, ['http', 'smtp', 'mqtt', 'ws'], 'fields');

async function probe(client: Client, headers: Record<string, string>, body: string | Uint8Array) {
  seen = undefined;
  try {
    const response = await client.post('/notes/a', body, { headers });
    await response.body.cancel();
    if (response.status !== 'ok') return `${response.status} ${response.headers.get('smtp-reply') ?? ''}`;
    return seen ?? 'not seen';
  } catch (error) {
    const failure = ParleyError.from(error);
    return `${failure.status}: ${failure.message}`;
  }
}

const cases: [string, Record<string, string>, string | Uint8Array][] = [
  ['mixed case name', { 'X-Mixed-Case': 'v' }, 'x'],
  ['empty value', { 'x-empty': '' }, 'x'],
  ['utf-8 value', { 'x-utf8': 'café 😀' }, 'x'],
  ['latin-1 value', { 'x-latin': '\u00e9\u00ff' }, 'x'],
  ['8 KiB value', { 'x-big': 'v'.repeat(8192) }, 'x'],
  ['leading and trailing spaces', { 'x-space': '  a  b  ' }, 'x'],
  ['comma list', { 'x-list': 'a, b,c' }, 'x'],
  ['semicolons and quotes', { 'x-q': 'a; b="c d"; e' }, 'x'],
  ['tab inside a value', { 'x-tab': 'a\tb' }, 'x'],
  ['colon in a value', { 'x-colon': 'a: b' }, 'x'],
  ['empty body', {}, ''],
  ['SMTP end of data', {}, '\r\n.\r\n'],
  ['dot lines', {}, '.\r\n..\r\n.\n'],
  ['NUL bytes', {}, new Uint8Array([0, 1, 0, 255])],
  ['invalid UTF-8', {}, new Uint8Array([0xc3, 0x28, 0xff, 0xfe])],
  ['bare CR and LF', {}, 'a\rb\nc\r\n'],
  ['no final newline', {}, 'abc'],
];

/** Fields no protocol can carry: refused by every client before anything is sent. */
const refusedEverywhere: [string, Record<string, string>][] = [
  ['CR LF inside a value', { 'x-crlf': 'a\r\nx-injected: 1' }],
  ['bare LF inside a value', { 'x-lf': 'a\nb' }],
  ['bare CR inside a value', { 'x-cr': 'a\rb' }],
  ['NUL inside a value', { 'x-nul': 'a\0b' }],
  ['space in a name', { 'x bad': 'v' }],
  ['colon in a name', { 'x:bad': 'v' }],
  ['empty name', { '': 'v' }],
  ['non-ASCII name', { 'x-caf\u00e9': 'v' }],
];

describe('the same header fields and body bytes over every transport', () => {
  it.each(refusedEverywhere)('%s is refused by every client', async (_what, headers) => {
    for (const [name, client] of clients) {
      const result = await probe(client, headers, 'x');
      expect.soft(result, name).toMatch(/^bad_request: .*(CR, LF or NUL|not a header field name)/);
    }
    expect(seen).toBeUndefined();
  });

  it.each(cases)('%s', async (_what, headers, body) => {
    const results: Record<string, unknown> = {};
    for (const [name, client] of clients) results[name] = await probe(client, headers, body);
    // HTTP refuses what its field syntax cannot hold (CR, LF, NUL, characters past U+00FF) up
    // front, which the other protocols carry as they are; whatever is delivered is the same.
    const refused = (result: unknown) => typeof result === 'string' && result.startsWith('bad_request: ');
    for (const [name, result] of Object.entries(results)) {
      if (refused(result) || refused(results.http)) continue;
      expect.soft(result, name).toEqual(results.http);
    }
  });
});
