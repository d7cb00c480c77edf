import { describe, expect, it } from 'vitest';
import { createRequest, moveOverwrites, OVERWRITE_HEADER } from '../src/index.js';

const move = (overwrite?: string) =>
  createRequest({
    method: 'MOVE',
    path: '/a.txt',
    headers:
      overwrite === undefined
        ? { destination: '/b.txt' }
        : { destination: '/b.txt', [OVERWRITE_HEADER]: overwrite },
  });

describe('moveOverwrites', () => {
  it('is true without the field and for T, false for F (either case, spaces around)', () => {
    expect(moveOverwrites(move())).toBe(true);
    expect(moveOverwrites(move('T'))).toBe(true);
    expect(moveOverwrites(move('t'))).toBe(true);
    expect(moveOverwrites(move('F'))).toBe(false);
    expect(moveOverwrites(move(' f '))).toBe(false);
  });

  it('refuses any other value with bad_request', () => {
    for (const value of ['', 'false', 'no', 'FF']) {
      expect(() => moveOverwrites(move(value))).toThrow(expect.objectContaining({ status: 'bad_request' }));
    }
  });
});
