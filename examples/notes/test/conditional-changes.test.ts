import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type Client, createClient, createServer, memory, type Server } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeFeed } from '../src/changes.js';
import { createNotesRouter } from '../src/notes-router.js';
import { NOTE_STORES } from './helpers.js';

let counter = 0;

/** A notes server, not yet listening, on a new store made by `makeStore`, and how to remove the store. */
async function notesServer(
  makeStore: (typeof NOTE_STORES)[number][1],
): Promise<{ server: Server; cleanup: () => Promise<void> }> {
  const { store, cleanup } = await makeStore();
  return { server: createServer(createNotesRouter({ store, feed: new ChangeFeed() })), cleanup };
}

/** Changes that name a version (If-Match, If-None-Match, If-Unmodified-Since) lose no other writer's update. */
describe.each(NOTE_STORES)('conditional changes to notes, %s store', (_kind, makeStore) => {
  let server: Server;
  let client: Client;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ server, cleanup } = await notesServer(makeStore));
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

  it('replaces with the If-Match of the version read, and refuses a stale one: precondition_failed, nothing changed', async () => {
    await client.put('/notes/a.txt', 'first');
    const read = await current('a.txt');
    expect(read.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Another writer changes the note after it was read.
    await client.put('/notes/a.txt', 'another writer');
    const stale = await client.put('/notes/a.txt', 'lost update', {
      headers: { 'if-match': read.etag as string },
    });
    expect(stale.status).toBe('precondition_failed');
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
      'precondition_failed',
    );
    expect((await current('b.txt')).text).toBe('one');

    expect((await client.post('/notes/b.txt', '+', { headers: { 'if-match': '"0-0"' } })).status).toBe(
      'precondition_failed',
    );
    expect((await client.delete('/notes/b.txt', { headers: { 'if-match': '"0-0"' } })).status).toBe(
      'precondition_failed',
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
    expect(moved.status).toBe('precondition_failed');
    const kept = await client.get('/notes/c.txt');
    expect([kept.status, await kept.body.text()]).toEqual(['ok', 'c']);
    const long = new Date(Date.now() - 3_600_000).toUTCString();
    expect(
      (await client.put('/notes/c.txt', 'late', { headers: { 'if-unmodified-since': long } })).status,
    ).toBe('precondition_failed');
    expect((await current('c.txt')).text).toBe('c');
  });

  it('refuses a MOVE with Overwrite: F onto an existing note', async () => {
    await client.put('/notes/e.txt', 'e');
    await client.put('/notes/f.txt', 'f');
    const moved = await client.move('/notes/e.txt', '/notes/f.txt', { headers: { overwrite: 'F' } });
    expect(moved.status).toBe('precondition_failed');
    expect((await current('f.txt')).text).toBe('f');
  });
});

const run = promisify(execFile);

/** The same refusals as curl sees them over HTTP: 412 Precondition Failed (RFC 9110, section 13). */
describe.each(NOTE_STORES)(
  'conditional requests for notes over HTTP (curl), %s store',
  (_kind, makeStore) => {
    let server: Server;
    let base: string;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ server, cleanup } = await notesServer(makeStore));
      base = (await server.listen(http('http://127.0.0.1:0'))).url.replace(/\/$/, '');
    });
    afterEach(async () => {
      await server.close({ timeoutMs: 1000 });
      await cleanup();
    });

    /** curl's status code for `method` on `path` with header fields, and a body for PUT and POST. */
    async function curl(method: string, path: string, fields: string[], body?: string): Promise<string> {
      const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', method];
      for (const field of fields) args.push('-H', field);
      if (body !== undefined) args.push('--data-binary', body);
      return (await run('curl', [...args, `${base}${path}`])).stdout;
    }

    it('answers a stale If-Match, If-None-Match: * onto a note and Overwrite: F with 412, changing nothing', async () => {
      expect(await curl('PUT', '/notes/n.txt', ['If-None-Match: *'], 'one')).toBe('201');
      expect(await curl('PUT', '/notes/n.txt', ['If-None-Match: *'], 'two')).toBe('412');
      expect(await curl('PUT', '/notes/n.txt', ['If-Match: "0-0"'], 'three')).toBe('412');
      expect(await curl('POST', '/notes/n.txt', ['If-Match: "0-0"'], '+')).toBe('412');
      expect(await curl('DELETE', '/notes/n.txt', ['If-Match: "0-0"'])).toBe('412');
      expect(await curl('PUT', '/notes/m.txt', [], 'm')).toBe('201');
      expect(await curl('MOVE', '/notes/n.txt', ['Destination: /notes/m.txt', 'If-Match: "0-0"'])).toBe(
        '412',
      );
      expect(await curl('MOVE', '/notes/n.txt', ['Destination: /notes/m.txt', 'Overwrite: F'])).toBe('412');
      expect((await run('curl', ['-s', `${base}/notes/n.txt`])).stdout).toBe('one');
      expect((await run('curl', ['-s', `${base}/notes/m.txt`])).stdout).toBe('m');
    });

    it('answers a GET or HEAD of another version than If-Match names with 412', async () => {
      expect(await curl('PUT', '/notes/r.txt', [], 'read me')).toBe('201');
      expect(await curl('GET', '/notes/r.txt', ['If-Match: "0-0"'])).toBe('412');
      const head = await run('curl', ['-s', '-I', '-H', 'If-Match: "0-0"', `${base}/notes/r.txt`]);
      expect(head.stdout).toMatch(/^HTTP\/1\.1 412/);
      const etag = /^etag: (.*?)\r?$/im.exec(
        (await run('curl', ['-s', '-I', `${base}/notes/r.txt`])).stdout,
      )?.[1];
      expect((await run('curl', ['-s', '-H', `If-Match: ${etag}`, `${base}/notes/r.txt`])).stdout).toBe(
        'read me',
      );
      expect(await curl('GET', '/notes/absent.txt', ['If-Match: *'])).toBe('404');
    });
  },
);
