import { describe, expect, it } from 'vitest';
import { globMatcher } from '../src/server/glob.js';

describe('the glob of NLST and LIST', () => {
  it('matches *, ?, sets, negated sets and ranges, and a leading dot only when asked', () => {
    const names = [
      'a.txt',
      'b.txt',
      'ab.txt',
      '.hidden.txt',
      'c.bin',
      'x1',
      'x9',
      'xz',
      'what?.txt',
      'é.txt',
    ];
    const matching = (pattern: string) => names.filter(globMatcher(pattern));
    expect(matching('*.txt')).toEqual(['a.txt', 'b.txt', 'ab.txt', 'what?.txt', 'é.txt']);
    expect(matching('?.txt')).toEqual(['a.txt', 'b.txt', 'é.txt']);
    expect(matching('[ab].txt')).toEqual(['a.txt', 'b.txt']);
    expect(matching('[!ab].txt')).toEqual(['é.txt']);
    expect(matching('x[0-9]')).toEqual(['x1', 'x9']);
    expect(matching('.*')).toEqual(['.hidden.txt']);
    expect(matching('a*')).toEqual(['a.txt', 'ab.txt']);
    expect(matching('*')).toHaveLength(names.length - 1);
    expect(matching('c.bin')).toEqual(['c.bin']);
    expect(matching('[a')).toEqual([]);
    expect(globMatcher('[a')('[a')).toBe(true);
  });

  it('answers a pattern of many stars against a long name at once (no backtracking blow-up)', () => {
    const matches = globMatcher(`${'*a'.repeat(40)}*b`);
    expect(matches('a'.repeat(250))).toBe(false);
    expect(matches(`${'a'.repeat(250)}b`)).toBe(true);
  });
});
