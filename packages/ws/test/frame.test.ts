import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  decodeHead,
  decodeHeadPayload,
  encodeHeadFrame,
  FRAME,
  type Frame,
} from '../src/wire/frame.js';

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

describe('decodeHeadPayload', () => {
  /** A head payload: the 4-byte length, then `json` as given. */
  function payloadOf(json: Uint8Array): Uint8Array {
    const payload = new Uint8Array(4 + json.byteLength);
    new DataView(payload.buffer).setUint32(0, json.byteLength);
    payload.set(json, 4);
    return payload;
  }

  it('refuses a head that is not valid UTF-8', () => {
    const bad = [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]];
    for (const bytes of bad) {
      const json = new Uint8Array([...new TextEncoder().encode('{"path":"/a'), ...bytes, 0x22, 0x7d]);
      expect(() => decodeHeadPayload(payloadOf(json))).toThrow('A head frame does not hold UTF-8 JSON');
      // The same bytes inside a Node.js Buffer, as `ws` hands them over.
      expect(() => decodeHeadPayload(Buffer.from(payloadOf(json)))).toThrow('does not hold UTF-8 JSON');
    }
  });

  it('reads a head holding U+FFFD itself, which is valid UTF-8', () => {
    const head = { path: '/a\ufffdb', headers: { 'x-note': 'é \ufffd 🌍' } };
    const payload = payloadOf(new TextEncoder().encode(JSON.stringify(head)));
    expect(decodeHeadPayload(payload).head).toEqual(head);
    expect(decodeHeadPayload(Buffer.from(payload)).head).toEqual(head);
  });

  it('reads a head from the middle of a larger buffer', () => {
    const frame = encodeHeadFrame(FRAME.HEADERS, 3, { status: 'ok' }, 'pong');
    const within = new Uint8Array(frame.byteLength + 20).fill(0xff);
    within.set(frame, 10);
    const payload = decodeHeadPayload(decodeFrame(within.subarray(10, 10 + frame.byteLength)).payload);
    expect(payload.head).toEqual({ status: 'ok' });
    expect(new TextDecoder().decode(payload.body)).toBe('pong');
  });
});

describe('decodeHead', () => {
  it('reads the head and body of a frame as decodeHeadPayload reads its payload', () => {
    const bytes = encodeHeadFrame(FRAME.HEADERS, 3, { status: 'ok' }, new TextEncoder().encode('pong'));
    const frame = decodeFrame(bytes);
    const { head, body } = decodeHead(frame);
    expect(head).toEqual({ status: 'ok' });
    expect(new TextDecoder().decode(body)).toBe('pong');
    expect(decodeHeadPayload(frame.payload)).toEqual({ head, body });
  });

  it('reads a frame it did not decode itself from its payload', () => {
    const bytes = encodeHeadFrame(FRAME.HEADERS, 3, { status: 'ok' });
    const { type, end, id, payload } = decodeFrame(bytes);
    const frame: Frame = { type, end, id, payload };
    expect(decodeHead(frame)).toEqual({ head: { status: 'ok' }, body: new Uint8Array(0) });
  });

  it('refuses a frame too short for its JSON length', () => {
    const bytes = encodeHeadFrame(FRAME.HEADERS, 3, { status: 'ok' });
    expect(() => decodeHead(decodeFrame(bytes.subarray(0, bytes.byteLength - 1)))).toThrow(
      'shorter than its JSON length',
    );
    expect(() => decodeHead(decodeFrame(bytes.subarray(0, 7)))).toThrow('no 4-byte JSON length');
  });
});
