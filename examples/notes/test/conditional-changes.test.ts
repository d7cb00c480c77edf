import { type Client, createClient, createServer, memory, type Server } from '@parley/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeFeed } from '../src/changes.js';
import { createNotesRouter } from '../src/notes-router.js';
import { NOTE_STORES } from './helpers.js';

let counter = 0;

/** Changes that name a version (If-Match, If-None-Match, If-Unmodified-Since) lose no other writer's update. */
describe.each(NOTE_STORES)('conditional changes to notes, %s store', (_kind, makeStore) => {
  let server: Server;
  let client: Client;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const made = await makeStore();
    cleanup = made.cleanup;
    server = createServer(createNotesRouter({ store: made.store, feed: new ChangeFeed() }));
    const listener = await server.listen(memory(`memory://notes-conditions-${++counter}`));
    client = createClient(memory(listener.url));
  });
  afterEach(async () => {
    await client.close();
    await server.close();
    await cleanup();
  });

  /** The note's text and entity tag now. */
  async function current(name: string): Promise<{ text: string; etag: string | undefined }> {
    const response = await client.get(`/notes/${name}`);
    return { text: await response.body.text(), etag: response.headers.get('etag') };
  }

  it('replaces with the If-Match of the version read, and refuses a stale one: conflict, nothing changed', async () => {
    await client.put('/notes/a.txt', 'first');
    const read = await current('a.txt');
    expect(read.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Another writer changes the note after it was read.
    await client.put('/notes/a.txt', 'another writer');
    const stale = await client.put('/notes/a.txt', 'lost update', {
      headers: { 'if-match': read.etag as string },
    });
    expect(stale.status).toBe('conflict');
    expect(await stale.body.text()).toMatch(/It changed/);
    expect((await current('a.txt')).text).toBe('another writer');

    const fresh = (await current('a.txt')).etag as string;
    const ok = await client.put('/notes/a.txt', 'mine', { headers: { 'if-match': fresh } });
    expect(ok.status).toBe('ok');
    expect((await current('a.txt')).text).toBe('mine');
  });

  it('creates with If-None-Match: * only where no note is, appending and deleting only the version named', async () => {
    expect((await client.put('/notes/b.txt', 'one', { headers: { 'if-none-match': '*' } })).status).toBe(
      'created',
    );
    expect((await client.put('/notes/b.txt', 'two', { headers: { 'if-none-match': '*' } })).status).toBe(
      'conflict',
    );
    expect((await current('b.txt')).text).toBe('one');

    expect((await client.post('/notes/b.txt', '+', { headers: { 'if-match': '"0-0"' } })).status).toBe(
      'conflict',
    );
    expect((await client.delete('/notes/b.txt', { headers: { 'if-match': '"0-0"' } })).status).toBe(
      'conflict',
    );
    expect((await current('b.txt')).text).toBe('one');
    const { etag } = await current('b.txt');
    expect((await client.delete('/notes/b.txt', { headers: { 'if-match': etag as string } })).status).toBe(
      'no_content',
    );
  });

  it('moves only the version named, and honours If-Unmodified-Since', async () => {
    await client.put('/notes/c.txt', 'c');
    const moved = await client.move('/notes/c.txt', '/notes/d.txt', { headers: { 'if-match': '"0-0"' } });
    expect(moved.status).toBe('conflict');
    expect((await client.get('/notes/c.txt')).status).toBe('ok');
    const long = new Date(Date.now() - 3_600_000).toUTCString();
    expect(
      (await client.put('/notes/c.txt', 'late', { headers: { 'if-unmodified-since': long } })).status,
    ).toBe('conflict');
    expect((await current('c.txt')).text).toBe('c');
  });

  it('refuses a MOVE with Overwrite: F onto an existing note', async () => {
    await client.put('/notes/e.txt', 'e');
    await client.put('/notes/f.txt', 'f');
    const moved = await client.move('/notes/e.txt', '/notes/f.txt', { headers: { overwrite: 'F' } });
    expect(moved.status).toBe('conflict');
    expect((await current('f.txt')).text).toBe('f');
  });
});
