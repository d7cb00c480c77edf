import {
  compilePattern,
  HeaderMap,
  hasSpoofingCharacters,
  joinPath,
  normalizePath,
  ParleyError,
  publicUrl,
} from '@parley/core';
import { describe, expect, it } from 'vitest';

describe('normalizePath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['a/b', '/a/b'],
    ['/a//b/', '/a/b/'],
    ['/a/./b', '/a/b'],
    ['/a/../../../etc/passwd', '/etc/passwd'],
    ['/../..', '/'],
    ['/a/b/..', '/a/'],
    ['/notes/.', '/notes/'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePath(input)).toBe(expected);
  });

  it('refuses NUL characters', () => {
    expect(() => normalizePath('/a\0b')).toThrow(ParleyError);
  });

  it.each([
    ['U+202E right-to-left override', '/notes/evil\u202Etxt.exe'],
    ['U+2066 left-to-right isolate', '/notes/a\u2066b'],
    ['U+200F right-to-left mark', '/notes/a\u200Fb'],
    ['U+061C Arabic letter mark', '/notes/a\u061Cb'],
    ['U+200B zero-width space', '/notes/pass\u200Bwd'],
    ['U+2060 word joiner', '/notes/a\u2060b'],
    ['U+FEFF zero-width no-break space', '/notes/\uFEFFa'],
    ['U+180E Mongolian vowel separator', '/notes/a\u180Eb'],
    ['a tab (C0)', '/notes/a\tb'],
    ['DEL', '/notes/a\u007Fb'],
    ['U+0085 next line (C1)', '/notes/a\u0085b'],
  ])('refuses %s with bad_request', (_what, path) => {
    expect(hasSpoofingCharacters(path)).toBe(true);
    expect(() => normalizePath(path)).toThrow(expect.objectContaining({ status: 'bad_request' }));
    expect(() => normalizePath(`${path}/../x/`)).toThrow(ParleyError);
  });

  it('keeps ordinary names, accented and non-Latin ones included', () => {
    for (const path of ['/notes/café.txt', '/notes/日本語.md', '/notes/a b (1).txt', '/notes/\u00A0x']) {
      expect(hasSpoofingCharacters(path)).toBe(false);
      expect(normalizePath(path)).toBe(path);
    }
  });

  it('joins a collection and a name', () => {
    expect(joinPath('/notes/', 'a.txt')).toBe('/notes/a.txt');
    expect(joinPath('/notes', '../x')).toBe('/x');
  });
});

describe('compilePattern', () => {
  it('matches literals, parameters and rests', () => {
    expect(compilePattern('/notes/').match('/notes/')).toEqual({});
    expect(compilePattern('/notes/').match('/notes')).toBeUndefined();
    expect(compilePattern('/notes/:name').match('/notes/a.txt')).toEqual({ name: 'a.txt' });
    expect(compilePattern('/notes/:name').match('/notes/a.txt/')).toBeUndefined();
    expect(compilePattern('/notes/:name').match('/notes/a/b')).toBeUndefined();
    expect(compilePattern('/files/*').match('/files/a/b/c')).toEqual({ '*': 'a/b/c' });
    expect(compilePattern('/files/*').match('/other/a')).toBeUndefined();
  });
});

describe('HeaderMap', () => {
  it('is case-insensitive and joins repeated fields', () => {
    const headers = new HeaderMap({ 'Content-Type': 'text/plain', 'X-Many': ['a', 'b'], skip: undefined });
    expect(headers.get('content-type')).toBe('text/plain');
    expect(headers.get('x-many')).toBe('a, b');
    expect(headers.has('skip')).toBe(false);
    headers.append('X-MANY', 'c').set('New', '1');
    expect(headers.toObject()).toEqual({ 'content-type': 'text/plain', 'x-many': 'a, b, c', new: '1' });
    expect(headers.delete('new')).toBe(true);
    expect(new HeaderMap([['A', '1']]).get('a')).toBe('1');
  });

  it('gives joined set-cookie fields back one per cookie, a comma of an Expires date kept', () => {
    const cookies = ['id=7; Expires=Thu, 01 Jan 2037 00:00:00 GMT; Path=/', 'theme=dark', 'x=a,b'];
    const headers = HeaderMap.fromFlat(cookies.flatMap((cookie) => ['Set-Cookie', cookie]));
    expect(headers.getSetCookie()).toEqual([
      'id=7; Expires=Thu, 01 Jan 2037 00:00:00 GMT; Path=/',
      'theme=dark',
      'x=a,b',
    ]);
    expect(new HeaderMap().getSetCookie()).toEqual([]);
  });
});

describe('publicUrl', () => {
  it('drops credentials and puts in the real port when given', () => {
    expect(publicUrl(new URL('ftp://alice:s%40cret@127.0.0.1:0/'), 2121)).toBe('ftp://127.0.0.1:2121/');
    expect(publicUrl(new URL('http://bob:pw@example.test:8080'))).toBe('http://example.test:8080/');
  });
});
