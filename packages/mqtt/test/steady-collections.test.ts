import { describe, expect, it } from 'vitest';
import { SteadyMap, SteadySet } from '../src/steady-collections.js';

describe('steady collections', () => {
  it('a SteadyMap holds, finds, lists and removes its entries like a Map', () => {
    const map = new SteadyMap<string, number>();
    expect(map.size).toBe(0);
    expect(map.first()).toBeUndefined();
    expect([...map]).toEqual([]);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(1);
    expect(map.first()).toBe(1);
    expect([...map]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    expect(map.first()).toBe(2);
    map.clear();
    expect(map.size).toBe(0);
    expect([...map]).toEqual([]);
    map.set('c', 3);
    expect([...map]).toEqual([['c', 3]]);
  });

  it('a SteadyMap skips entries removed while it is listed', () => {
    const map = new SteadyMap<string, number>();
    for (const key of ['a', 'b', 'c']) map.set(key, key.charCodeAt(0));
    const seen: string[] = [];
    for (const [key] of map) {
      seen.push(key);
      if (key === 'a') map.delete('b');
    }
    expect(seen).toEqual(['a', 'c']);
  });

  it('a SteadySet holds, lists and removes its members like a Set', () => {
    const set = new SteadySet<object>();
    const one = {};
    const two = {};
    set.add(one);
    set.add(two);
    set.add(one);
    expect(set.size).toBe(2);
    expect([...set]).toEqual([one, two]);
    expect(set.delete(one)).toBe(true);
    expect(set.delete(one)).toBe(false);
    expect([...set]).toEqual([two]);
    set.clear();
    expect(set.size).toBe(0);
    expect([...set]).toEqual([]);
  });
});
