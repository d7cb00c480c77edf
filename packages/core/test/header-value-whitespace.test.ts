import { HeaderMap } from '@parley/core';
import { describe, expect, it } from 'vitest';

/**
 * A field value has no leading or trailing whitespace (RFC 9110 section 5.5): HTTP drops it on
 * the wire, so every map drops it, and a handler sees the same value whichever protocol carried
 * the request (MQTT and WebSocket carry values as they are).
 */
describe('header field values and their outer whitespace', () => {
  it('drops spaces and tabs around a value, from every way of building a map', () => {
    expect(new HeaderMap({ 'x-a': '  a  b \t' }).get('x-a')).toBe('a  b');
    expect(new HeaderMap([['x-a', ' a']]).get('x-a')).toBe('a');
    expect(HeaderMap.fromFlat(['x-a', 'a ']).get('x-a')).toBe('a');
    expect(new HeaderMap().set('x-a', '\ta\t').get('x-a')).toBe('a');
    expect(new HeaderMap().append('x-a', ' a ').append('x-a', ' b ').get('x-a')).toBe('a, b');
    expect(new HeaderMap({ 'x-a': ['  a', 'b  '] }).get('x-a')).toBe('a, b');
  });

  it('keeps inner whitespace, and a value of only spaces is empty', () => {
    expect(new HeaderMap({ 'x-a': 'a \t b' }).get('x-a')).toBe('a \t b');
    expect(new HeaderMap({ 'x-a': '   ' }).get('x-a')).toBe('');
    expect(new HeaderMap({ 'x-a': '' }).get('x-a')).toBe('');
  });

  it('keeps many fields the same way past the flat list', () => {
    const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`x-${i}`, ` ${i} `]));
    const map = new HeaderMap(fields);
    expect(map.get('x-39')).toBe('39');
    expect(map.get('x-0')).toBe('0');
  });
});
