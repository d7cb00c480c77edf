import { createRouter, refuseCrossSite, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { curl, requireCurl } from './curl.js';
import { serveEach } from './helpers.js';

const start = serveEach();
const available = requireCurl();

/** A notes router behind `refuseCrossSite()`, and the notes it stored. */
function guardedNotes() {
  const notes = new Map<string, string>();
  const router = createRouter()
    .get('/notes/:name', async (request) => {
      const text = notes.get(request.params.name ?? '');
      return text === undefined ? respond('not_found', 'no such note') : respond('ok', text);
    })
    .put('/notes/:name', async (request) => {
      notes.set(request.params.name ?? '', await request.body.text());
      return respond('created', 'stored');
    })
    .post('/notes/:name', async (request) => {
      notes.set(request.params.name ?? '', await request.body.text());
      return respond('created', 'stored');
    });
  return { notes, handler: router.handle };
}

describe.skipIf(!available)('refuseCrossSite over HTTP, with curl', () => {
  it('refuses a text/plain POST or PUT from a foreign Origin with 403, and stores nothing', async () => {
    const { notes, handler } = guardedNotes();
    const { url } = await start(handler, {}, { middleware: [refuseCrossSite()] });
    const foreign = ['-H', 'Origin: http://evil.example', '-H', 'Content-Type: text/plain'];
    for (const method of ['POST', 'PUT']) {
      const result = await curl([...foreign, '-X', method, '--data-binary', 'pwned', `${url}notes/a`]);
      expect(result.code).toBe(403);
      expect(result.body).toContain(`${method} /notes/a from http://evil.example is refused`);
    }
    const fetchMarked = ['-H', 'Sec-Fetch-Site: cross-site', '-H', 'Content-Type: text/plain'];
    expect((await curl([...fetchMarked, '--data-binary', 'pwned', `${url}notes/a`])).code).toBe(403);
    expect(notes.size).toBe(0);
    expect(await curl([`${url}notes/a`])).toEqual({ code: 404, body: 'no such note' });
  });

  it('lets same-origin and Origin-less writes through, and reads from any Origin', async () => {
    const { notes, handler } = guardedNotes();
    const { url } = await start(handler, {}, { middleware: [refuseCrossSite()] });
    const own = url.replace(/\/$/, '');
    const same = await curl(['-H', `Origin: ${own}`, '-X', 'PUT', '--data-binary', 'mine', `${url}notes/a`]);
    expect(same).toEqual({ code: 201, body: 'stored' });
    const marked = ['-H', `Origin: ${own}`, '-H', 'Sec-Fetch-Site: same-origin'];
    expect((await curl([...marked, '--data-binary', 'form', `${url}notes/b`])).code).toBe(201);
    expect((await curl(['--data-binary', 'plain', `${url}notes/c`])).code).toBe(201);
    expect(Object.fromEntries(notes)).toEqual({ a: 'mine', b: 'form', c: 'plain' });
    const read = await curl(['-H', 'Origin: http://evil.example', `${url}notes/a`]);
    expect(read).toEqual({ code: 200, body: 'mine' });
  });
});
