import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * An FTP server reads a `\` in a command's path as a `/` (Parley's does, as Windows clients
 * expect), so a name holding one would reach another file: the client refuses it up front.
 */
describe('an FTP client and a name with a backslash', () => {
  const seen: string[] = [];
  const server = createServer(
    createRouter()
      .get('/notes/*', async (request) => {
        seen.push(request.path);
        return respond('ok', 'the wrong file');
      })
      .put('/notes/*', async (request) => {
        seen.push(request.path);
        return respond('created');
      }),
  );
  let url = '';
  beforeAll(async () => {
    url = (await server.listen(ftp('ftp://127.0.0.1:0'))).url;
  });
  afterAll(() => server.close({ timeoutMs: 1_000 }));

  it.each(['GET', 'PUT', 'DELETE', 'HEAD'] as const)(
    'refuses %s with bad_request before sending it',
    async (method) => {
      await using client = createClient(ftp(url), { retries: 0 });
      const failure = await client
        .request(method, '/notes/back\\slash', { body: method === 'PUT' ? 'x' : undefined })
        .then(
          () => undefined,
          (error: unknown) => ParleyError.from(error),
        );
      expect(failure?.status).toBe('bad_request');
      expect(failure?.message).toMatch(/backslash/);
      expect(seen).toEqual([]);
    },
  );

  it('refuses a move to such a name', async () => {
    await using client = createClient(ftp(url), { retries: 0 });
    const failure = await client.move('/notes/a', '/notes/b\\c').then(
      () => undefined,
      (error: unknown) => ParleyError.from(error),
    );
    expect(failure?.status).toBe('bad_request');
    expect(seen).toEqual([]);
  });
});
