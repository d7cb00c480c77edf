import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A mailbox address has no query: a request with one is refused up front, never sent without it. */
describe('an SMTP client and a query', () => {
  const seen: string[] = [];
  const server = createServer(
    createRouter().post('/notes/:name', async (request) => {
      seen.push(`${request.path}?${request.query}`);
      return respond('ok');
    }),
  );
  let url = '';
  beforeAll(async () => {
    url = (await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }))).url;
  });
  afterAll(() => server.close({ timeoutMs: 1_000 }));

  it('refuses a request with a query with bad_request, sending nothing', async () => {
    await using client = createClient(smtp(url), { retries: 0 });
    const failure = await client.post('/notes/a?b=c', 'hello').then(
      () => undefined,
      (error: unknown) => ParleyError.from(error),
    );
    expect(failure?.status).toBe('bad_request');
    expect(failure?.message).toMatch(/query/);
    expect(seen).toEqual([]);
  });
});
