import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Body, contentRange, HeaderMap, parseByteRange, requestedRange, sliceBody } from '../src/index.js';

describe('parseByteRange', () => {
  it('reads the three bytes= forms, cutting an end past the body', () => {
    expect(parseByteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=990-', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseByteRange('bytes=-10', 1000)).toEqual({ start: 990, end: 999 });
    expect(parseByteRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseByteRange('bytes=10-5000', 1000)).toEqual({ start: 10, end: 999 });
    expect(parseByteRange(' Bytes = 1 - 2 ', 1000)).toEqual({ start: 1, end: 2 });
  });

  it('calls a range starting at or past the end, or the last 0 bytes, unsatisfiable', () => {
    expect(parseByteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=2000-3000', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-3', 0)).toBe('unsatisfiable');
  });

  it('asks nothing of a missing, malformed, multiple or other-unit value', () => {
    for (const value of [
      undefined,
      '',
      'bytes=',
      'bytes=-',
      'bytes=5-2',
      'bytes=0-1,3-4',
      'items=0-1',
      'bytes=a-b',
      'bytes=0x10-',
      'bytes=1234567890123456-',
      'bytes=-1e3',
    ])
      expect(parseByteRange(value, 1000), String(value)).toBeUndefined();
  });
});

describe('requestedRange', () => {
  const modified = 'Wed, 02 Dec 2026 10:00:00 GMT';
  const response = new HeaderMap({ 'last-modified': modified, etag: '"v1"' });
  const ask = (fields: Record<string, string>) => requestedRange(new HeaderMap(fields), response, 100);

  it('honours If-Range only when it names the response as it is now', () => {
    expect(ask({ range: 'bytes=5-' })).toEqual({ start: 5, end: 99 });
    expect(ask({ range: 'bytes=5-', 'if-range': modified })).toEqual({ start: 5, end: 99 });
    expect(ask({ range: 'bytes=5-', 'if-range': '"v1"' })).toEqual({ start: 5, end: 99 });
    expect(ask({ range: 'bytes=5-', 'if-range': 'Tue, 01 Dec 2026 10:00:00 GMT' })).toBeUndefined();
    expect(ask({ range: 'bytes=5-', 'if-range': '"v0"' })).toBeUndefined();
    expect(ask({ range: 'bytes=5-', 'if-range': 'W/"v1"' })).toBeUndefined();
    expect(
      requestedRange(new HeaderMap({ range: 'bytes=5-', 'if-range': '"v1"' }), new HeaderMap(), 100),
    ).toBeUndefined();
    expect(ask({})).toBeUndefined();
  });
});

describe('contentRange and sliceBody', () => {
  it('writes the field of a part and of an unsatisfiable range', () => {
    expect(contentRange(1000, { start: 0, end: 99 })).toBe('bytes 0-99/1000');
    expect(contentRange(1000)).toBe('bytes */1000');
  });

  it('cuts a buffered body', async () => {
    const part = sliceBody(Body.from('hello world'), { start: 6, end: 10 });
    expect(part.size).toBe(5);
    expect(await part.text()).toBe('world');
  });

  it('cuts a streamed body across its chunks and releases the source after the part', async () => {
    let pulled = 0;
    let released = false;
    const source = new Readable({
      read() {
        pulled++;
        if (pulled > 100) return void this.push(null);
        this.push(Buffer.from(String(pulled % 10).repeat(4)));
      },
      destroy(error, callback) {
        released = true;
        callback(error);
      },
    });
    // Chunks "1111", "2222", "3333", ...: bytes 6 to 13 span the 2nd, 3rd and 4th.
    const part = sliceBody(Body.from(source, 400), { start: 6, end: 13 });
    expect(part.size).toBe(8);
    expect(await part.text()).toBe('22333344');
    expect(released).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it('ends a part early when its streamed source ends early', async () => {
    const part = sliceBody(Body.from(Readable.from([Buffer.from('abc')]), 10), { start: 1, end: 8 });
    expect(await part.text()).toBe('bc');
  });
});
