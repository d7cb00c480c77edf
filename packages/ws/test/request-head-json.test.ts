import { describe, expect, it } from 'vitest';
import { encodeJsonHeadFrame, encodePlainRequestFrame, FRAME } from '../src/wire/frame.js';
import { readRequestHead, requestHeadJson } from '../src/wire/heads.js';

describe('requestHeadJson', () => {
  it('writes what JSON.stringify makes of the head object, field for field', () => {
    const heads = [
      { method: 'GET', path: '/echo', timeout: 29_999 },
      { method: 'HEAD', path: '/' },
      { method: 'PUT', path: '/notes/"quoted"\\back\\slash\n', query: 'a=1&b="2"', timeout: 0 },
      { method: 'LIST', path: '/été/🌍/\u2028', headers: { 'x-title': 'naïve “quotes”', accept: '*/*' } },
      { method: 'MOVE', path: '/a', query: 'x', headers: { destination: '/b' }, timeout: 12.5 },
    ] as const;
    for (const head of heads) {
      const query = 'query' in head ? head.query : '';
      const headers = 'headers' in head ? head.headers : undefined;
      const timeout = 'timeout' in head ? head.timeout : undefined;
      const json = requestHeadJson(head.method, head.path, query, headers, timeout);
      expect(json).toBe(JSON.stringify(head));
      expect(readRequestHead(JSON.parse(json))).toEqual(head);
    }
  });
});

describe('encodePlainRequestFrame', () => {
  it('writes the same bytes as the JSON text of the head would make', () => {
    const cases: [string, string, number | undefined, Uint8Array | string, boolean][] = [
      ['GET', '/echo', 29_999, '', true],
      ['HEAD', '/', undefined, '', true],
      ['PUT', '/notes/a b.txt', 0, 'héllo 🌍', true],
      ['POST', '/q', 1_000_000_007, new Uint8Array([1, 2, 3]), true],
      ['PUT', '/stream', 10, '', false],
    ];
    for (const [method, path, timeout, body, end] of cases) {
      const json = requestHeadJson(method as 'GET', path, '', undefined, timeout);
      const expected = encodeJsonHeadFrame(FRAME.HEADERS, 9, json, body, end);
      expect([...(encodePlainRequestFrame(9, method, path, timeout, body, end) ?? [])]).toEqual([
        ...expected,
      ]);
    }
  });

  it('leaves heads JSON would escape, or fractional timeouts, to the JSON text', () => {
    for (const path of ['/"quoted"', '/back\\slash', '/line\n', '/été', '/\u007f']) {
      expect(encodePlainRequestFrame(1, 'GET', path, 5, '', true)).toBeUndefined();
    }
    expect(encodePlainRequestFrame(1, 'GET', '/a', 12.5, '', true)).toBeUndefined();
  });
});
