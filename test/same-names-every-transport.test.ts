import {
  type Client,
  createClient,
  createRouter,
  createServer,
  ParleyError,
  type Request,
  respond,
  type Server,
} from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt, startBroker } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

const clients = new Map<string, Client>();
let server: Server;
let closeBroker: () => Promise<void>;

beforeAll(async () => {
  const broker = await startBroker({ port: 0 });
  closeBroker = () => broker.close();
  server = createServer(router);
  const targets: [string, () => ReturnType<typeof http>, (url: string) => ReturnType<typeof http>][] = [
    ['http', () => http('http://127.0.0.1:0'), (url) => http(url)],
    ['ftp', () => ftp('ftp://127.0.0.1:0'), (url) => ftp(url)],
    ['smtp', () => smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }), (url) => smtp(url)],
    ['mqtt', () => mqtt(`${broker.url}/names`), (url) => mqtt(url)],
    ['ws', () => ws('ws://127.0.0.1:0/parley'), (url) => ws(url)],
  ];
  for (const [name, serve, connect] of targets) {
    const listener = await server.listen(serve());
    clients.set(name, createClient(connect(listener.url), { retries: 0, timeoutMs: 5000 }));
  }
});
afterAll(async () => {
  await Promise.all([...clients.values()].map((client) => client.close()));
  await server.close({ timeoutMs: 2000 });
  await closeBroker();
});

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
