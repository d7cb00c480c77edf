import { createRouter, respond } from '@parley/core';
import { FRAME } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { decodeFrame, decodeHeadPayload, encodeHeadFrame } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const serve = serveEach();

describe('request heads with header fields no protocol can carry', () => {
  it.each([
    ['a CR LF in a value', { 'x-a': 'v\r\nx-injected: 1' }, /CR, LF or NUL/],
    ['a NUL in a value', { 'x-a': 'v\u0000w' }, /CR, LF or NUL/],
    ['a space in a name', { 'x a': 'v' }, /not a header field name/],
  ])(
    'answers %s with `bad_request` on its stream, unserved; the connection goes on',
    async (_, headers, reason) => {
      let calls = 0;
      const { url } = await serve(
        createRouter().get('/*', async () => {
          calls++;
          return respond('ok', 'fine');
        }),
      );
      const { socket, frames, closed } = await rawSocket(url);
      let closeCode: number | undefined;
      void closed.then((code) => {
        closeCode = code;
      });
      socket.send(encodeHeadFrame(FRAME.HEADERS, 3, { method: 'GET', path: '/a', headers }));
      socket.send(encodeHeadFrame(FRAME.HEADERS, 5, { method: 'GET', path: '/ok.txt' }));
      await eventually(
        () =>
          closeCode !== undefined ||
          frames.some((bytes) => decodeFrame(bytes).id === 5 && decodeFrame(bytes).end),
      );
      const refused = frames.map((bytes) => decodeFrame(bytes)).find((frame) => frame.id === 3);
      expect(refused).toMatchObject({ type: FRAME.HEADERS, end: true });
      const { head, body } = decodeHeadPayload((refused as { payload: Uint8Array }).payload);
      expect(head).toEqual({ status: 'bad_request' });
      expect(new TextDecoder().decode(body)).toMatch(reason);
      expect(calls).toBe(1);
      expect(closeCode).toBeUndefined();
      socket.close();
    },
  );
});
