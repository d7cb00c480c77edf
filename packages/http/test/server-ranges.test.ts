import { Readable } from 'node:stream';
import { Body, createServer, type Handler, respond } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

const TEXT = 'abcdefghijklmnopqrstuvwxyz';
const MODIFIED = 'Wed, 02 Dec 2026 10:00:00 GMT';

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  closing.push(() => server.close({ timeoutMs: 500 }));
  return (await server.listen(http('http://127.0.0.1:0'))).url.replace(/\/$/, '');
}

/** A handler that knows nothing of ranges: the body streamed in chunks of 5 bytes. */
const streamed: Handler = async () =>
  respond('ok', Body.from(Readable.from(TEXT.match(/.{1,5}/g) ?? []), TEXT.length), {
    'last-modified': MODIFIED,
  });

async function get(url: string, headers: Record<string, string>, method = 'GET') {
  const answer = await fetch(url, { method, headers });
  return { code: answer.status, fields: answer.headers, text: await answer.text() };
}

describe('HTTP Range requests', () => {
  it('sends one part of a streamed body a handler sent whole, as a 206', async () => {
    const url = await serve(streamed);
    const part = await get(`${url}/f`, { range: 'bytes=3-12' });
    expect(part).toMatchObject({ code: 206, text: 'defghijklm' });
    expect(part.fields.get('content-range')).toBe('bytes 3-12/26');
    expect(part.fields.get('content-length')).toBe('10');
    expect(part.fields.get('last-modified')).toBe(MODIFIED);
    expect(await get(`${url}/f`, { range: 'bytes=-4' })).toMatchObject({ code: 206, text: 'wxyz' });
    expect(await get(`${url}/f`, { range: 'bytes=20-' })).toMatchObject({ code: 206, text: 'uvwxyz' });
  });

  it('cuts a buffered body too, and keeps the connection for the next request', async () => {
    const url = await serve(async () => respond('ok', TEXT));
    for (let i = 0; i < 3; i++)
      expect(await get(`${url}/f`, { range: `bytes=${i}-${i}` })).toMatchObject({ code: 206, text: TEXT[i] });
  });

  it('answers 416 with the size for a range past the end', async () => {
    const url = await serve(streamed);
    const answer = await get(`${url}/f`, { range: 'bytes=26-' });
    expect(answer.code).toBe(416);
    expect(answer.fields.get('content-range')).toBe('bytes */26');
    expect(answer.text).toMatch(/past the end of a body of 26 bytes/);
  });

  it('sends the whole body for several ranges, a malformed one, a stale If-Range, HEAD or a body of unknown length', async () => {
    const url = await serve(streamed);
    for (const headers of [
      { range: 'bytes=0-1,4-5' },
      { range: 'bytes=9-2' },
      { range: 'lines=1-2' },
      { range: 'bytes=1-2', 'if-range': 'Tue, 01 Dec 2026 10:00:00 GMT' },
    ])
      expect(await get(`${url}/f`, headers), JSON.stringify(headers)).toMatchObject({
        code: 200,
        text: TEXT,
      });
    expect(await get(`${url}/f`, { range: 'bytes=1-2', 'if-range': MODIFIED })).toMatchObject({
      code: 206,
      text: 'bc',
    });
    const head = await get(`${url}/f`, { range: 'bytes=1-2' }, 'HEAD');
    expect(head.code).toBe(200);
    expect(head.fields.get('content-length')).toBe('26');
    const unknown = await serve(async () => respond('ok', Body.from(Readable.from([TEXT]))));
    expect(await get(`${unknown}/f`, { range: 'bytes=1-2' })).toMatchObject({ code: 200, text: TEXT });
  });

  it('leaves other statuses alone, and sends a part its handler cut itself as it is', async () => {
    const missing = await serve(async () => respond('not_found', 'no such note'));
    expect(await get(`${missing}/f`, { range: 'bytes=0-1' })).toMatchObject({
      code: 404,
      text: 'no such note',
    });
    const cutting = await serve(async (request) => {
      expect(request.headers.get('range')).toBe('bytes=2-4');
      return respond('ok', 'cde', { 'content-range': 'bytes 2-4/26' });
    });
    const part = await get(`${cutting}/f`, { range: 'bytes=2-4' });
    expect(part).toMatchObject({ code: 206, text: 'cde' });
    expect(part.fields.get('content-range')).toBe('bytes 2-4/26');
  });
});

describe('HTTP conditional requests', () => {
  const ETAG = '"v2"';
  const versioned: Handler = async () =>
    respond('ok', Body.from(Readable.from([Buffer.from(TEXT)]), TEXT.length), {
      'last-modified': MODIFIED,
      etag: ETAG,
    });

  it('answers 304 without a body when If-None-Match names the etag or If-Modified-Since is not older', async () => {
    const url = await serve(versioned);
    for (const headers of [
      { 'if-none-match': ETAG },
      { 'if-none-match': `"v1", W/${ETAG}` },
      { 'if-none-match': '*' },
      { 'if-modified-since': MODIFIED },
      { 'if-modified-since': 'Thu, 03 Dec 2026 10:00:00 GMT' },
    ]) {
      const answer = await get(`${url}/f`, headers);
      expect(answer, JSON.stringify(headers)).toMatchObject({ code: 304, text: '' });
      expect(answer.fields.get('etag')).toBe(ETAG);
    }
    expect((await get(`${url}/f`, { 'if-none-match': ETAG }, 'HEAD')).code).toBe(304);
  });

  it('sends the body when the copy is older, the tag another, or the date unreadable', async () => {
    const url = await serve(versioned);
    for (const headers of [
      { 'if-none-match': '"v1"' },
      // If-None-Match decides alone when present.
      { 'if-none-match': '"v1"', 'if-modified-since': MODIFIED },
      { 'if-modified-since': 'Tue, 01 Dec 2026 10:00:00 GMT' },
      { 'if-modified-since': 'yesterday' },
    ])
      expect(await get(`${url}/f`, headers), JSON.stringify(headers)).toMatchObject({
        code: 200,
        text: TEXT,
      });
    const plain = await serve(async () => respond('ok', TEXT));
    expect(await get(`${plain}/f`, { 'if-modified-since': MODIFIED })).toMatchObject({
      code: 200,
      text: TEXT,
    });
    const missing = await serve(async () => respond('not_found', 'gone', { etag: ETAG }));
    expect((await get(`${missing}/f`, { 'if-none-match': ETAG })).code).toBe(404);
  });

  it('goes by the validators the answer has, whatever the case of the request fields', async () => {
    const tagged = await serve(async () => respond('ok', TEXT, { etag: ETAG }));
    expect((await get(`${tagged}/f`, { 'If-None-Match': ETAG })).code).toBe(304);
    expect((await get(`${tagged}/f`, { 'if-modified-since': MODIFIED })).code).toBe(200);
    const dated = await serve(async () => respond('ok', TEXT, { 'last-modified': MODIFIED }));
    expect((await get(`${dated}/f`, { 'If-Modified-Since': MODIFIED })).code).toBe(304);
    // If-None-Match decides alone when present, even when the answer has no etag.
    const both = { 'if-none-match': ETAG, 'if-modified-since': MODIFIED };
    expect(await get(`${dated}/f`, both)).toMatchObject({ code: 200, text: TEXT });
  });

  it('leaves changes alone', async () => {
    const url = await serve(async () => respond('ok', 'stored', { etag: ETAG }));
    const answer = await fetch(`${url}/f`, { method: 'PUT', body: 'x', headers: { 'if-none-match': ETAG } });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toBe('stored');
  });
});
