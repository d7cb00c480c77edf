import { type Client, createRouter, ParleyError, type Request, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { servedOverEveryTransport } from './support/every-transport.js';

interface Seen {
  path: string;
  params: Record<string, string>;
  query: string;
}

const seen: Seen[] = [];
const record = async (request: Request) => {
  seen.push({ path: request.path, params: { ...request.params }, query: request.query.toString() });
  return respond('ok', 'seen');
};
const router = createRouter()
  .get('/notes/:name', record)
  .post('/notes/:name', record)
  .get('/notes/*', record)
  .post('/notes/*', record);

const clients = servedOverEveryTransport(router, ['http', 'ftp', 'smtp', 'mqtt', 'ws'], 'names');

async function probe(client: Client, path: string): Promise<Seen | string> {
  seen.length = 0;
  const method = client.contract.methods.includes('GET') ? 'GET' : 'POST';
  try {
    const response = await client.request(method, path, { body: method === 'POST' ? 'x' : undefined });
    await response.body.cancel();
    if (response.status !== 'ok') return response.status;
    return seen[0] ?? 'not seen';
  } catch (error) {
    const failure = ParleyError.from(error);
    return `${failure.status}: ${failure.message}`;
  }
}

const names = [
  '/notes/ä b.txt',
  '/notes/a%20b',
  '/notes/a%2Fb',
  '/notes/100%',
  '/notes/%',
  '/notes/%zz',
  '/notes/#x',
  '/notes/a#b',
  '/notes/+',
  '/notes/a+b',
  '/notes/😀.txt',
  '/notes/caf\u00e9',
  '/notes/cafe\u0301',
  `/notes/${'n'.repeat(1000)}`,
  `/notes/${'é'.repeat(500)}`,
  '/notes/a;b',
  "/notes/it's",
  '/notes/say "hi"',
  '/notes/back\\slash',
  '/notes/-leading',
  '/notes/trailing.',
  '/notes/trailing ',
  '/notes/ leading',
  '/notes/a b/c d',
  '/notes/[x]',
  '/notes/{x}',
  '/notes/a&b=c',
  '/notes/~user',
  '/notes/a*b',
  '/notes/.hidden',
  '/notes/..x',
  '/notes/x..',
  '/notes/a:b',
  '/notes/a@b',
  '/notes/a|b',
  '/notes/a<b>',
  '/notes/a^b',
  '/notes/a`b',
  '/notes/a=b',
  '/notes/a,b',
  '/notes/a!b',
  '/notes/a$b',
  '/notes/a(b)',
  '/notes/a?b=c&d',
  '/notes/a?x=%20y+z',
  '/notes/a?',
  '/notes/a?b?c',
  '/notes/a\u0000b',
  '/notes/a\u202eb',
  '/notes/a/../b',
  '/notes/./b',
  '/notes//b',
  '/notes/%2e%2e',
  '/notes/a%00b',
  '/notes/\ud800',
];

describe('the same names over every transport', () => {
  it.each(names)('%s', async (path) => {
    const results: Record<string, Seen | string> = {};
    for (const [name, client] of clients) results[name] = await probe(client, path);
    const reference = results.http;
    for (const [name, result] of Object.entries(results)) {
      // Either the same request reached the handler, or the client refused it up front.
      if (typeof result === 'string' && result.startsWith('bad_request: ')) continue;
      expect.soft(result, `${name} for ${path}`).toEqual(reference);
    }
  });
});
