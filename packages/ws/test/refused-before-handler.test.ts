import { createRouter, respond } from '@parley/core';
import { FRAME } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { decodeFrame, decodeHeadPayload, encodeHeadFrame } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const serve = serveEach();

describe('a request refused while its HEADERS frame is read', () => {
  it('never reaches the handler when its inlined body is past maxBodyBytes under a smaller content-length', async () => {
    const headers = { 'content-length': '10' };
    const inlined = 500;
    let calls = 0;
    const { url } = await serve(
      createRouter().post('/*', async () => {
        calls++;
        return respond('ok', 'ran');
      }),
      { maxBodyBytes: 100 },
    );
    const { socket, frames } = await rawSocket(url);
    // No END: the rest of the body would follow in DATA frames.
    socket.send(
      encodeHeadFrame(
        FRAME.HEADERS,
        1,
        { method: 'POST', path: '/x', headers },
        new Uint8Array(inlined),
        false,
      ),
    );
    socket.send(encodeHeadFrame(FRAME.HEADERS, 3, { method: 'POST', path: '/after' }, undefined, true));
    await eventually(() => frames.some((bytes) => decodeFrame(bytes).id === 3));
    const answer = frames
      .map((bytes) => decodeFrame(bytes))
      .find((frame) => frame.id === 1 && frame.type === FRAME.HEADERS);
    expect(decodeHeadPayload((answer as { payload: Uint8Array }).payload).head).toEqual({
      status: 'too_large',
    });
    expect(calls).toBe(1); // the request on stream 3 only
    socket.close();
  });
});
