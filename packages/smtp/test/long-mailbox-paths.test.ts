import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { pathToAddress, smtp } from '@parley/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * RFC 5321 bounds an envelope address (local part, `@` and domain) to 253 bytes inside its
 * `<>`: a path whose address is longer is refused by the client up front, saying why, rather
 * than sent to get a server's "bad address syntax".
 */
describe('a path too long for a mailbox address', () => {
  const seen: string[] = [];
  const server = createServer(
    createRouter().post('/notes/:name', async (request) => {
      seen.push(request.path);
      return respond('ok');
    }),
  );
  let url = '';
  beforeAll(async () => {
    url = (await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }))).url;
  });
  afterAll(() => server.close({ timeoutMs: 1_000 }));

  it('pathToAddress refuses it with bad_request naming the limit', () => {
    const failure = (() => {
      try {
        pathToAddress(`/notes/${'é'.repeat(100)}`);
        return undefined;
      } catch (error) {
        return ParleyError.from(error);
      }
    })();
    expect(failure?.status).toBe('bad_request');
    expect(failure?.message).toMatch(/253 bytes/);
  });

  it('the longest path that fits is delivered, one byte more is refused before sending', async () => {
    await using client = createClient(smtp(url), { retries: 0 });
    // notes+<name>@localhost: 6 + name + 10 bytes.
    const fits = `/notes/${'n'.repeat(253 - 16)}`;
    expect(pathToAddress(fits)).toHaveLength(253);
    expect((await client.post(fits, 'x')).status).toBe('ok');
    const failure = await client.post(`${fits}n`, 'x').then(
      () => undefined,
      (error: unknown) => ParleyError.from(error),
    );
    expect(failure?.status).toBe('bad_request');
    expect(failure?.message).toMatch(/mailbox address/);
    expect(seen).toEqual([fits]);
  });
});
