import {
  type Client,
  createClient,
  createRequest,
  createServer,
  memory,
  readListing,
  type Server,
} from '@parley/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeFeed, type NoteChange } from '../src/changes.js';
import type { Mail } from '../src/mail.js';
import { createMemoryStore } from '../src/memory-store.js';
import { createNotesRouter } from '../src/notes-router.js';
import { NOTE_STORES } from './helpers.js';

let counter = 0;

describe.each(NOTE_STORES)('the notes service over memory, %s store', (_kind, makeStore) => {
  let server: Server;
  let client: Client;
  let feed: ChangeFeed;
  let changes: NoteChange[];
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    const made = await makeStore();
    cleanup = made.cleanup;
    feed = new ChangeFeed();
    changes = [];
    feed.listen((change) => changes.push(change));
    server = createServer(
      createNotesRouter({
        store: made.store,
        feed,
        endpoints: () => ({ wsPath: '/parley', mqttWs: { port: 8083, prefix: 'notes-service' } }),
        pageScript: async () => 'console.log("the live page");',
      }),
    );
    const listener = await server.listen(memory(`memory://notes-router-${++counter}`));
    client = createClient(memory(listener.url));
  });

  afterEach(async () => {
    await client.close();
    await server.close();
    await cleanup();
  });

  it('puts, gets, heads, lists and deletes a note', async () => {
    const put = await client.put('/notes/hello.txt', 'hi there');
    expect(put.status).toBe('created');
    expect(put.headers.get('location')).toBe('/notes/hello.txt');
    expect(await put.body.json()).toEqual({ name: 'hello.txt', size: 8 });

    const got = await client.get('/notes/hello.txt');
    expect(got.status).toBe('ok');
    expect(got.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await got.body.text()).toBe('hi there');

    const head = await client.head('/notes/hello.txt');
    expect(head.status).toBe('ok');
    expect(head.headers.get('content-length')).toBe('8');
    expect(await head.body.text()).toBe('');

    const list = await readListing(await client.list('/notes/'));
    expect(list).toEqual([{ name: 'hello.txt', type: 'file', size: 8, modified: expect.any(String) }]);

    expect((await client.put('/notes/hello.txt', 'replaced')).status).toBe('ok');
    expect(await (await client.get('/notes/hello.txt')).body.text()).toBe('replaced');

    expect((await client.delete('/notes/hello.txt')).status).toBe('no_content');
    expect((await client.get('/notes/hello.txt')).status).toBe('not_found');
    expect((await client.delete('/notes/hello.txt')).status).toBe('not_found');
    expect(await readListing(await client.list('/notes/'))).toEqual([]);
    expect(changes.map((change) => `${change.type} ${change.name}`)).toEqual([
      'created hello.txt',
      'updated hello.txt',
      'deleted hello.txt',
    ]);
  });

  it('renames a note with MOVE, replacing a note of the target name, and announces both', async () => {
    await client.put('/notes/draft.txt', 'words');
    await client.put('/notes/final.txt', 'older');
    changes.length = 0;
    const moved = await client.move('/notes/draft.txt', '/notes/final.txt');
    expect(moved.status).toBe('ok');
    expect(moved.headers.get('location')).toBe('/notes/final.txt');
    expect(await moved.body.json()).toEqual({ name: 'final.txt', size: 5 });
    expect((await client.get('/notes/draft.txt')).status).toBe('not_found');
    expect(await (await client.get('/notes/final.txt')).body.text()).toBe('words');
    expect((await client.move('/notes/final.txt', '/notes/fresh.txt')).status).toBe('ok');
    expect(changes.map((change) => `${change.type} ${change.name}`)).toEqual([
      'deleted draft.txt',
      'updated final.txt',
      'deleted final.txt',
      'created fresh.txt',
    ]);
  });

  it('moves a note onto itself as a no-op, and a missing one is not_found', async () => {
    await client.put('/notes/self.txt', 'kept');
    changes.length = 0;
    expect((await client.move('/notes/self.txt', '/notes/./self.txt')).status).toBe('ok');
    expect(await (await client.get('/notes/self.txt')).body.text()).toBe('kept');
    expect(changes).toEqual([]);
    expect((await client.move('/notes/missing.txt', '/notes/other.txt')).status).toBe('not_found');
    expect((await client.get('/notes/other.txt')).status).toBe('not_found');
  });

  it('refuses a MOVE out of /notes/, to a bad name, or without a destination', async () => {
    await client.put('/notes/stay.txt', 'here');
    for (const destination of ['/elsewhere/stay.txt', '/notes/', '/notes/.hidden', '/notes/a/b']) {
      const response = await client.move('/notes/stay.txt', destination);
      expect(response.status, destination).toBe('bad_request');
    }
    expect((await client.request('MOVE', '/notes/stay.txt')).status).toBe('bad_request');
    expect(await (await client.get('/notes/stay.txt')).body.text()).toBe('here');
    expect((await client.move('/notes/', '/notes/x.txt')).status).toBe('method_not_allowed');
  });

  it('refuses names with bidirectional, invisible or control characters', async () => {
    for (const name of ['evil\u202Etxt.exe', 'pass\u200Bword.txt', 'a\u2066b.txt', 'bom\uFEFF.txt']) {
      const response = await client.post('/notes', 'x', { headers: { name } });
      expect(response.status, name).toBe('bad_request');
      await expect(client.put(`/notes/${name}`, 'x'), name).rejects.toMatchObject({ status: 'bad_request' });
    }
    await client.put('/notes/plain.txt', 'x');
    await expect(client.move('/notes/plain.txt', '/notes/r\u202Etxt.exe')).rejects.toMatchObject({
      status: 'bad_request',
    });
    expect((await readListing(await client.list('/notes/'))).map((entry) => entry.name)).toEqual([
      'plain.txt',
    ]);
  });

  it('takes a name in NFD form (e and a combining accent) as the same note as its NFC form', async () => {
    const composed = 'caf\u00e9.txt';
    const decomposed = 'cafe\u0301.txt';
    expect((await client.put(`/notes/${composed}`, 'first')).status).toBe('created');
    expect((await client.put(`/notes/${decomposed}`, 'second')).status).toBe('ok');
    expect(await (await client.get(`/notes/${decomposed}`)).body.text()).toBe('second');
    expect(await (await client.get(`/notes/${composed}`)).body.text()).toBe('second');
    expect((await readListing(await client.list('/notes/'))).map((entry) => entry.name)).toEqual([composed]);
  });

  it('appends with POST to a note, creating it when absent', async () => {
    expect((await client.post('/notes/log.txt', 'one\n')).status).toBe('created');
    expect((await client.post('/notes/log.txt', 'two\n')).status).toBe('ok');
    expect(await (await client.get('/notes/log.txt')).body.text()).toBe('one\ntwo\n');
  });

  it('creates a note with POST to /notes, named by a header or generated', async () => {
    const named = await client.post('/notes', 'by name', { headers: { name: 'named.txt' } });
    expect(named.status).toBe('created');
    const bySubject = await client.post('/notes', 'by subject', { headers: { subject: 'subject.txt' } });
    expect(bySubject.headers.get('location')).toBe('/notes/subject.txt');
    const generated = await client.post('/notes', 'anonymous');
    expect(generated.status).toBe('created');
    const location = generated.headers.get('location') ?? '';
    expect(location).toMatch(/^\/notes\/note-\d{8}T\d{6}-[a-z0-9]+\.txt$/);
    expect(await (await client.get(location)).body.text()).toBe('anonymous');

    const again = await client.post('/notes', 'again', { headers: { name: 'named.txt' } });
    expect(again.status).toBe('conflict');
    expect(await (await client.get('/notes/named.txt')).body.text()).toBe('by name');
  });

  it.each([
    ['/notes/.hidden', 'may not start with a dot'],
    [`/notes/${'a'.repeat(129)}`, 'at most 128 bytes'],
    ['/notes/back%5Cslash', 'may not contain a slash'],
  ])('refuses the name of %s with bad_request', async (path, message) => {
    const name = decodeURIComponent(path.slice('/notes/'.length));
    const response = await client.put(`/notes/${name}`, 'x');
    expect(response.status).toBe('bad_request');
    expect(await response.body.text()).toContain(message);
    expect((await client.get(`/notes/${name}`)).status).toBe('bad_request');
  });

  it('refuses bad names given in headers, and keeps nothing of them', async () => {
    for (const name of ['a/b', '.env', 'tab\there', 'x'.repeat(200)]) {
      const response = await client.post('/notes', 'x', { headers: { name } });
      expect(response.status, name).toBe('bad_request');
    }
    expect(await readListing(await client.list('/notes/'))).toEqual([]);
  });

  it('answers not_found and method_not_allowed for what it does not serve', async () => {
    expect((await client.get('/elsewhere')).status).toBe('not_found');
    expect((await client.delete('/notes/')).status).toBe('method_not_allowed');
  });

  it('lists the root as one directory, notes', async () => {
    expect(await readListing(await client.list('/'))).toEqual([{ name: 'notes', type: 'directory' }]);
  });

  it('serves the live page for a browser asking for / over HTTP (a LIST of the root)', async () => {
    const router = createNotesRouter({ store: createMemoryStore(), feed: new ChangeFeed() });
    const browser = await router.handle(
      createRequest({
        method: 'LIST',
        path: '/',
        headers: { accept: 'text/html,*/*' },
        peer: { protocol: 'http' },
      }),
    );
    expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const tool = await router.handle(
      createRequest({ method: 'LIST', path: '/', peer: { protocol: 'http' } }),
    );
    expect(await tool.body.json()).toEqual([{ name: 'notes', type: 'directory' }]);
  });

  it('serves the live page, with its endpoints, and its script', async () => {
    const page = await client.get('/');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.body.text();
    expect(html).toContain('<script type="module" src="/app.js">');
    const json = /<script type="application\/json" id="endpoints">(.*?)<\/script>/.exec(html)?.[1];
    expect(JSON.parse(json ?? '')).toEqual({
      wsPath: '/parley',
      mqttWs: { port: 8083, prefix: 'notes-service' },
    });
    expect(html).toMatch(/<label for="name">Note name<\/label>\s*<input id="name"/);
    const script = await client.get('/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.body.text()).toBe('console.log("the live page");');
  });

  it('streams changes as server-sent events until the reader stops', async () => {
    const events = await client.get('/events', { timeoutMs: 60_000 });
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = events.body[Symbol.asyncIterator]();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.next()).value)).toContain('retry: 2000');
    expect(feed.readers).toBe(1);

    await client.put('/notes/live.txt', 'now');
    const event = decoder.decode((await reader.next()).value);
    expect(event).toMatch(/^event: change\ndata: \{.*\}\n\n$/);
    expect(JSON.parse(event.split('\n')[1]?.slice('data: '.length) ?? '')).toMatchObject({
      type: 'created',
      name: 'live.txt',
      size: 3,
      protocol: 'memory',
      peer: 'memory',
      status: 'created',
    });

    await reader.return?.();
    expect(feed.readers).toBe(0);
  });

  it('ends the event streams when the feed closes', async () => {
    const events = await client.get('/events', { timeoutMs: 60_000 });
    const reader = events.body[Symbol.asyncIterator]();
    await reader.next();
    feed.close();
    expect((await reader.next()).done).toBe(true);
    expect((await client.get('/events')).status).toBe('unavailable');
  });
});

describe('the notes router', () => {
  it('makes a mail into a note: the subject names it, the text is its content', async () => {
    const mails: Mail[] = [
      { subject: 'mailed.txt', text: 'hi\n\n\n', attachments: [] },
      {
        subject: undefined,
        text: undefined,
        attachments: [{ filename: 'attached.txt', content: 'from a file' }],
      },
    ];
    const router = createNotesRouter({
      store: createMemoryStore(),
      feed: new ChangeFeed(),
      readMail: async (request) => {
        await request.body.cancel();
        return mails.shift() as Mail;
      },
    });
    const smtp = { protocol: 'smtp', address: '127.0.0.1' };
    const first = await router.handle(
      createRequest({ method: 'POST', path: '/notes', body: 'raw', peer: smtp }),
    );
    expect(first.status).toBe('created');
    expect(first.headers.get('location')).toBe('/notes/mailed.txt');
    const second = await router.handle(
      createRequest({ method: 'POST', path: '/notes', body: 'raw', peer: smtp }),
    );
    expect(second.headers.get('location')).toBe('/notes/attached.txt');
    const read = await router.handle(createRequest({ method: 'GET', path: '/notes/attached.txt' }));
    expect(await read.body.text()).toBe('from a file');
    const mailed = await router.handle(createRequest({ method: 'GET', path: '/notes/mailed.txt' }));
    expect(await mailed.body.text()).toBe('hi\n');
  });

  it('refuses the event stream over protocols whose replies do not stream', async () => {
    const router = createNotesRouter({ store: createMemoryStore(), feed: new ChangeFeed() });
    const peer = { protocol: 'ftp' };
    const response = await router
      .handle(createRequest({ method: 'GET', path: '/events', peer }))
      .catch((error: unknown) => error);
    expect(response).toMatchObject({ status: 'bad_request' });
  });

  it('ends an event stream when its request is aborted (the client went away)', async () => {
    const feed = new ChangeFeed();
    const router = createNotesRouter({ store: createMemoryStore(), feed });
    const gone = new AbortController();
    const response = await router.handle(
      createRequest({ method: 'GET', path: '/events', signal: gone.signal }),
    );
    const reader = response.body[Symbol.asyncIterator]();
    await reader.next();
    expect(feed.readers).toBe(1);
    gone.abort();
    expect((await reader.next()).done).toBe(true);
    expect(feed.readers).toBe(0);
  });

  it('refuses an event stream whose client is already gone', async () => {
    const feed = new ChangeFeed();
    const router = createNotesRouter({ store: createMemoryStore(), feed });
    const refused = await router
      .handle(createRequest({ method: 'GET', path: '/events', signal: AbortSignal.abort() }))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 'cancelled' });
    expect(feed.readers).toBe(0);
  });

  it('refuses more live pages than the feed allows', async () => {
    const feed = new ChangeFeed({ maxReaders: 1 });
    const router = createNotesRouter({ store: createMemoryStore(), feed });
    await router.handle(createRequest({ method: 'GET', path: '/events' }));
    const refused = await router
      .handle(createRequest({ method: 'GET', path: '/events' }))
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 'too_many_requests' });
    feed.close();
  });
});

describe('the live page before its script is built', () => {
  it('answers /app.js with unavailable and says how to build it', async () => {
    const router = createNotesRouter({
      store: createMemoryStore(),
      feed: new ChangeFeed(),
      pageScript: async () => undefined,
    });
    const script = await router.handle(createRequest({ method: 'GET', path: '/app.js' }));
    expect(script.status).toBe('unavailable');
    expect(await script.body.text()).toContain('pnpm --filter @parley/example-notes build');
    const page = await router.handle(createRequest({ method: 'GET', path: '/' }));
    expect(await page.body.text()).toContain('build it with');
  });
});
