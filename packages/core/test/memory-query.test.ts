import { createClient, createServer, memory, respond } from '@parley/core';
import { afterEach, describe, expect, it } from 'vitest';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('the memory transport carries the query as HTTP does', () => {
  it('hands the server the query of the call', async () => {
    const seen: string[] = [];
    const server = createServer(async (request) => {
      seen.push(`${request.path} ${request.query.toString()}`);
      return respond('ok');
    });
    await server.listen(memory('memory://query-test'));
    closers.push(() => server.close({ timeoutMs: 500 }));
    const client = createClient(memory('memory://query-test'));
    closers.push(() => client.close());
    await client.get('/notes/?limit=2&after=b');
    expect(seen).toEqual(['/notes/ limit=2&after=b']);
  });
});
