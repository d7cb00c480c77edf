import { describe, expect, it } from 'vitest';
import { StreamTable } from '../src/wire/stream-table.js';

describe('StreamTable', () => {
  it('holds one stream at a time, as requests come and go one by one', () => {
    const table = new StreamTable<string>();
    for (let id = 1; id <= 3; id++) {
      table.set(id, `call ${id}`);
      expect(table.size).toBe(1);
      expect(table.get(id)).toBe(`call ${id}`);
      expect(table.has(id - 1)).toBe(false);
      expect(table.delete(id)).toBe(true);
      expect(table.size).toBe(0);
      expect(table.get(id)).toBeUndefined();
    }
  });

  it('holds many streams, whichever leaves first', () => {
    const table = new StreamTable<string>();
    for (let id = 0; id < 5; id++) table.set(id, `call ${id}`);
    expect(table.size).toBe(5);
    expect(table.delete(0)).toBe(true);
    expect(table.delete(3)).toBe(true);
    expect(table.delete(3)).toBe(false);
    // The next stream takes the place the first one left.
    table.set(9, 'call 9');
    expect(table.entries().sort(([a], [b]) => a - b)).toEqual([
      [1, 'call 1'],
      [2, 'call 2'],
      [4, 'call 4'],
      [9, 'call 9'],
    ]);
    expect(table.size).toBe(4);
  });

  it('replaces the stream of an id already there, wherever it is held', () => {
    const table = new StreamTable<string>();
    table.set(1, 'a');
    table.set(2, 'b');
    table.delete(1);
    table.set(2, 'c');
    table.set(3, 'd');
    expect(table.size).toBe(2);
    expect(table.get(2)).toBe('c');
    expect(table.get(3)).toBe('d');
  });

  it('lists its streams as a copy, so they may leave while the list is walked', () => {
    const table = new StreamTable<number>();
    for (let id = 1; id <= 4; id++) table.set(id, id);
    for (const [id] of table.entries()) table.delete(id);
    expect(table.size).toBe(0);
    expect(table.entries()).toEqual([]);
  });
});
