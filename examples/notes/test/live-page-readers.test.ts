import { createRequest } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../src/changes.js';
import { createMemoryStore } from '../src/memory-store.js';
import { createNotesRouter } from '../src/notes-router.js';

describe('live pages (event streams) from one address', () => {
  it('are at most 16 at once: one address cannot take every reader slot and lock the live page for everyone', async () => {
    const feed = new ChangeFeed();
    const router = createNotesRouter({ store: createMemoryStore(), feed });
    const open = (address: string) =>
      router
        .handle(
          createRequest({
            method: 'GET',
            path: '/events',
            // Each its own signal, as every transport gives its requests.
            signal: new AbortController().signal,
            peer: { protocol: 'http', address },
          }),
        )
        .then(
          (response) => response.status as string,
          (error: { status?: string }) => error.status ?? 'error',
        );
    const fromOne: string[] = [];
    for (let i = 0; i < 100; i++) fromOne.push(await open('192.0.2.7'));
    expect(fromOne.filter((status) => status === 'ok')).toHaveLength(16);
    expect(fromOne.slice(16)).toEqual(Array(84).fill('too_many_requests'));
    // Other addresses still get their pages.
    expect(await open('2001:db8::1')).toBe('ok');
    expect(await open('198.51.100.3')).toBe('ok');
    feed.close();
  });
});
