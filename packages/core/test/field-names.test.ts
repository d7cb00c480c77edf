/**
 * Field names compared and lower-cased without making strings, and header maps that answer
 * look-ups from a flat list as it came, or from a record, the same as from any other source.
 */
import { HeaderMap } from '@parley/core';
import { sameFieldName } from '@parley/core/transport';
import { describe, expect, it } from 'vitest';
import { lowerFieldName } from '../src/kit/field-name.js';

describe('sameFieldName', () => {
  it('compares names regardless of case, character by character', () => {
    expect(sameFieldName('Content-Length', 'content-length')).toBe(true);
    expect(sameFieldName('content-length', 'CONTENT-LENGTH')).toBe(true);
    expect(sameFieldName('host', 'host')).toBe(true);
    expect(sameFieldName('Host', 'hosts')).toBe(false);
    expect(sameFieldName('Host', 'hast')).toBe(false);
    // Only letters differ by case: `[` and `{`, `@` and `` ` `` are other characters.
    expect(sameFieldName('x[', 'x{')).toBe(false);
    expect(sameFieldName('x@', 'x`')).toBe(false);
  });

  it('compares names outside ASCII as toLowerCase() does', () => {
    expect(sameFieldName('Ärger', 'ärger')).toBe(true);
    expect(sameFieldName('Ärger', 'ärgen')).toBe(false);
  });
});

describe('lowerFieldName', () => {
  it('gives the lower-case name, the same string when it is lower-case already', () => {
    expect(lowerFieldName('Content-Type')).toBe('content-type');
    expect(lowerFieldName('etag')).toBe('etag');
    expect(lowerFieldName('X-ÄRGER')).toBe('x-ärger');
    expect(lowerFieldName('')).toBe('');
  });
});

describe('HeaderMap look-ups', () => {
  const pairs: [string, string][] = [
    ['Host', 'example.org'],
    ['Accept', ' text/plain '],
    ['X-Tag', 'a'],
    ['accept', 'text/html\t'],
    ['x-TAG', 'b'],
  ];
  const names = [
    'host',
    'HOST',
    'accept',
    'Accept',
    'x-tag',
    'X-Tag',
    'x-ärger',
    'X-ÄRGER',
    'missing',
    'hos',
  ];

  it('answer from a flat list as from pairs, before and after the list is read', () => {
    const reference = new HeaderMap(pairs);
    const flat = HeaderMap.fromFlat(pairs.flat());
    // More look-ups than a flat list is scanned for: the later ones read it first.
    for (let round = 0; round < 3; round++) {
      for (const name of names) {
        expect(flat.get(name), name).toBe(reference.get(name));
        expect(flat.has(name), name).toBe(reference.has(name));
      }
    }
    expect(flat.get('accept')).toBe('text/plain, text/html');
    expect(flat.get('x-tag')).toBe('a, b');
    expect(flat.toFlat()).toEqual(reference.toFlat());
  });

  it('read a flat list into the same fields whenever it is read', () => {
    const reference = new HeaderMap(pairs);
    const unread = HeaderMap.fromFlat(pairs.flat());
    expect(unread.toFlat()).toEqual(reference.toFlat());
    expect(unread.size).toBe(3);
    const odd = HeaderMap.fromFlat(['A', '1', 'B']);
    expect(odd.toFlat()).toEqual(['a', '1']);
    const many = Array.from({ length: 20 }, (_, i) => [`X-${i % 17}`, String(i)]).flat();
    expect(HeaderMap.fromFlat(many).get('x-1')).toBe('1, 18');
    expect(HeaderMap.fromFlat(many).size).toBe(17);
  });

  it('answer from a record with names repeated in other cases, skipped values and lists', () => {
    const headers = new HeaderMap({
      'Content-Type': 'text/plain',
      'content-type': 'charset=utf-8',
      skipped: undefined,
      'X-List': ['a', 'b'],
      'X-Number': 3,
    });
    expect(headers.toFlat()).toEqual([
      'content-type',
      'text/plain, charset=utf-8',
      'x-list',
      'a, b',
      'x-number',
      '3',
    ]);
    expect(headers.size).toBe(3);
    expect(new HeaderMap({}).toFlat()).toEqual([]);
    expect(new HeaderMap({ gone: undefined }).size).toBe(0);
    expect(() => new HeaderMap({ 'bad name': 'x' })).toThrow(/not a header field name/);
    expect(() => new HeaderMap({ x: 'a\r\nb' })).toThrow(/CR, LF or NUL/);
  });

  it('answer from a record with its own fields alone, and from one naming many', () => {
    const inherited = Object.assign(Object.create({ 'x-inherited': 'no' }) as Record<string, string>, {
      Own: 'yes',
    });
    expect(new HeaderMap(inherited).toFlat()).toEqual(['own', 'yes']);
    const many: Record<string, string | undefined> = {};
    for (let i = 0; i < 20; i++) many[`X-${i}`] = i % 2 === 0 ? String(i) : undefined;
    const headers = new HeaderMap(many);
    expect(headers.size).toBe(10);
    expect(headers.get('x-18')).toBe('18');
    expect(headers.has('x-1')).toBe(false);
    expect(() => new HeaderMap({ ...many, 'bad name': 'x' })).toThrow(/not a header field name/);
  });
});
