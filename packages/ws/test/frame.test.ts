import { describe, expect, it } from 'vitest';
import { decodeFrame, decodeHeadPayload, encodeHeadFrame, FRAME } from '../src/wire/frame.js';

describe('encodeHeadFrame', () => {
  it('writes an ASCII head and its body into a frame of exactly their size, a Buffer in Node.js', () => {
    const head = { method: 'GET', path: '/echo', timeout: 29_999 };
    const body = new TextEncoder().encode('pong');
    const frame = encodeHeadFrame(FRAME.HEADERS, 7, head, body);
    const json = JSON.stringify(head);
    expect(frame.byteLength).toBe(5 + 4 + json.length + body.byteLength);
    // What `ws` sends as it is, without making a Buffer of it first.
    expect(Buffer.isBuffer(frame)).toBe(true);
    const decoded = decodeFrame(frame);
    expect({ type: decoded.type, end: decoded.end, id: decoded.id }).toEqual({
      type: FRAME.HEADERS,
      end: true,
      id: 7,
    });
    const payload = decodeHeadPayload(decoded.payload);
    expect(payload.head).toEqual(head);
    expect(new TextDecoder().decode(payload.body)).toBe('pong');
  });

  it('writes a head with characters beyond ASCII, whose UTF-8 is longer than its JSON text', () => {
    const head = { path: '/notes/été-🌍', headers: { 'x-title': 'naïve “quotes”' } };
    const body = new Uint8Array([1, 2, 3]);
    const frame = encodeHeadFrame(FRAME.EVENT, 0xffffffff, head, body, false);
    const decoded = decodeFrame(frame);
    expect({ type: decoded.type, end: decoded.end, id: decoded.id }).toEqual({
      type: FRAME.EVENT,
      end: false,
      id: 0xffffffff,
    });
    const payload = decodeHeadPayload(decoded.payload);
    expect(payload.head).toEqual(head);
    expect([...payload.body]).toEqual([1, 2, 3]);
    expect(frame.byteLength).toBe(5 + 4 + new TextEncoder().encode(JSON.stringify(head)).byteLength + 3);
  });

  it('writes a body given as text as UTF-8, ASCII or not', () => {
    const long = ['x'.repeat(300), `${'x'.repeat(200)}é`, 'é'.repeat(300)];
    for (const text of ['pong', 'héllo wörld 🌍', '\ud800 lone', '', ...long]) {
      const frame = encodeHeadFrame(FRAME.HEADERS, 1, { status: 'ok' }, text);
      const payload = decodeHeadPayload(decodeFrame(frame).payload);
      expect(payload.head).toEqual({ status: 'ok' });
      expect([...payload.body]).toEqual([...new TextEncoder().encode(text)]);
    }
  });
});
