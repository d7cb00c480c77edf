import { compilePattern, HeaderMap, joinPath, normalizePath, ParleyError, publicUrl } from '@parley/core';
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
});

describe('publicUrl', () => {
  it('drops credentials and puts in the real port when given', () => {
    expect(publicUrl(new URL('ftp://alice:s%40cret@127.0.0.1:0/'), 2121)).toBe('ftp://127.0.0.1:2121/');
    expect(publicUrl(new URL('http://bob:pw@example.test:8080'))).toBe('http://example.test:8080/');
  });
});
