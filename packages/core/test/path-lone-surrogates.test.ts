import {
  createClient,
  createRouter,
  createServer,
  memory,
  normalizePath,
  ParleyError,
  respond,
} from '@parley/core';
import { describe, expect, it } from 'vitest';

/**
 * A string with half of a surrogate pair is no Unicode text: no protocol can carry it as it is
 * (HTTP's encoder throws, others write U+FFFD, another name). Every path refuses it alike.
 */
describe('a path holding a lone surrogate', () => {
  it.each([
    ['a high surrogate alone', '/notes/a\uD800b'],
    ['a low surrogate alone', '/notes/a\uDC00b'],
    ['a high surrogate at the end', '/notes/a\uD83D'],
    ['two pairs reversed', '/notes/\uDE00\uD83D'],
  ])('refuses %s with bad_request', (_what, path) => {
    expect(() => normalizePath(path)).toThrow(expect.objectContaining({ status: 'bad_request' }));
  });

  it('keeps whole pairs (emoji) as they are', () => {
    expect(normalizePath('/notes/\uD83D\uDE00.txt')).toBe('/notes/😀.txt');
    expect(normalizePath('notes//\uD83D\uDE00/')).toBe('/notes/😀/');
  });

  it('is refused by a client before it reaches the handler', async () => {
    const seen: string[] = [];
    const server = createServer(
      createRouter().get('/notes/:name', async (request) => {
        seen.push(request.path);
        return respond('ok');
      }),
    );
    const transport = memory();
    await server.listen(transport);
    await using client = createClient(transport, { retries: 0 });
    const failure = await client.get('/notes/a\uD800').then(
      () => undefined,
      (error: unknown) => ParleyError.from(error),
    );
    expect(failure?.status).toBe('bad_request');
    expect(failure?.message).toMatch(/Unicode/);
    expect(seen).toEqual([]);
    await server.close();
  });
});
