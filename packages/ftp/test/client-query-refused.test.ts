import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** FTP has no query string: a request with one is refused up front, never sent without it. */
describe('an FTP client and a query', () => {
  const seen: string[] = [];
  const server = createServer(
    createRouter().get('/notes/*', async (request) => {
      seen.push(`${request.path}?${request.query}`);
      return respond('ok', 'the file without the query');
    }),
  );
  let url = '';
  beforeAll(async () => {
    url = (await server.listen(ftp('ftp://127.0.0.1:0'))).url;
  });
  afterAll(() => server.close({ timeoutMs: 1_000 }));

  it('refuses a request with a query with bad_request, sending nothing', async () => {
    await using client = createClient(ftp(url), { retries: 0 });
    const failure = await client.get('/notes/a?b=c').then(
      () => undefined,
      (error: unknown) => ParleyError.from(error),
    );
    expect(failure?.status).toBe('bad_request');
    expect(failure?.message).toMatch(/query/);
    expect(seen).toEqual([]);
  });

  it('takes a path with an empty query (a bare trailing ?)', async () => {
    await using client = createClient(ftp(url), { retries: 0 });
    const response = await client.get('/notes/a?');
    expect(response.status).toBe('ok');
    await response.body.cancel();
    expect(seen).toEqual(['/notes/a?']);
  });
});
