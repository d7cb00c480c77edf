import { describe, expect, it } from 'vitest';
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
