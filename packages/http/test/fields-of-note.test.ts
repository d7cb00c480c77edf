import { HeaderMap } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { fieldsOfNote } from '../src/server/fields-of-note.js';

describe('fieldsOfNote', () => {
  it('finds validators and a content-range among a response fields, whatever case they were set in', () => {
    expect({ ...fieldsOfNote(new HeaderMap({ ETag: '"a"' })) }).toEqual({
      validators: true,
      contentRange: false,
    });
    expect({ ...fieldsOfNote(new HeaderMap({ 'Last-Modified': 'Wed, 02 Dec 2026 10:00:00 GMT' })) }).toEqual({
      validators: true,
      contentRange: false,
    });
    expect({ ...fieldsOfNote(new HeaderMap({ 'content-range': 'bytes 0-1/2', 'x-a': '1' })) }).toEqual({
      validators: false,
      contentRange: true,
    });
  });

  it('finds neither in a response without them (list, map or flat), and reads a received list in any case', () => {
    const set = new HeaderMap({ 'content-type': 'text/plain' }).set('x-b', '2');
    for (const headers of [new HeaderMap(), new HeaderMap({ 'content-type': 'text/plain' }), set]) {
      expect({ ...fieldsOfNote(headers) }).toEqual({ validators: false, contentRange: false });
    }
    // A value naming a field is no field: only names count.
    const flat = HeaderMap.fromFlat(['X-Note', 'etag', 'Content-Type', 'content-range']);
    expect({ ...fieldsOfNote(flat) }).toEqual({ validators: false, contentRange: false });
    // Names read from a received list count in any case.
    const received = HeaderMap.fromFlat(['ETag', '"a"', 'Content-Range', 'bytes 0-1/2']);
    expect({ ...fieldsOfNote(received) }).toEqual({ validators: true, contentRange: true });
    // The answer of one call does not leak into the next.
    fieldsOfNote(new HeaderMap({ etag: '"a"', 'content-range': 'bytes 0-1/2' }));
    expect({ ...fieldsOfNote(new HeaderMap()) }).toEqual({ validators: false, contentRange: false });
  });
});
