import { describe, expect, it } from 'vitest';
import { HeaderMap } from '../src/index.js';

/** A map of `list` made later, with how many times the list was asked for. */
function later(list: readonly string[]): { headers: HeaderMap; reads: () => number } {
  let reads = 0;
  const headers = HeaderMap.fromFlatLater(() => {
    reads++;
    return list;
  });
  return { headers, reads: () => reads };
}

describe('HeaderMap.fromFlatLater', () => {
  it('asks for its list only when first used, and once', () => {
    const { headers, reads } = later(['Subject', 'hi', 'X-Tag', 'a', 'x-tag', 'b']);
    expect(reads()).toBe(0);
    expect(headers.get('x-TAG')).toBe('a, b');
    expect(headers.has('subject')).toBe(true);
    expect(headers.size).toBe(2);
    expect(headers.toObject()).toEqual({ subject: 'hi', 'x-tag': 'a, b' });
    expect(reads()).toBe(1);
  });

  it('reads as fromFlat does: every way of reading, copying and writing', () => {
    const list = ['Host', 'x', 'Accept', 'a', 'accept', 'b'];
    const reads = [
      (map: HeaderMap) => map.get('accept'),
      (map: HeaderMap) => map.has('host'),
      (map: HeaderMap) => map.size,
      (map: HeaderMap) => [...map],
      (map: HeaderMap) => map.toFlat(),
      (map: HeaderMap) => map.toObject(),
      (map: HeaderMap) => new HeaderMap(map).toObject(),
      (map: HeaderMap) => map.set('x-new', '1').toObject(),
      (map: HeaderMap) => [map.delete('HOST'), map.toObject()],
      (map: HeaderMap) => map.append('accept', 'c').get('accept'),
    ];
    for (const read of reads) expect(read(later(list).headers)).toEqual(read(HeaderMap.fromFlat(list)));
  });

  it('is an empty map when the list is empty', () => {
    const { headers } = later([]);
    expect(headers.size).toBe(0);
    expect(headers.get('x')).toBeUndefined();
    expect(new HeaderMap(later([]).headers).toFlat()).toEqual([]);
  });

  it('is copied without asking the original twice', () => {
    const { headers, reads } = later(['A', '1']);
    const copy = new HeaderMap(headers);
    expect(copy.get('a')).toBe('1');
    expect(headers.get('a')).toBe('1');
    expect(reads()).toBe(1);
  });
});
