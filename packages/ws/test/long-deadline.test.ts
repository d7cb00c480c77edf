import { createRouter, ParleyError, respond } from '@parley/core';
import { FRAME } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { decodeFrame, decodeHeadPayload, encodeHeadFrame } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const serve = serveEach();

/** The body of the answer on stream `id`, once it came. */
async function answerOn(frames: Buffer[], id: number): Promise<string> {
  await eventually(() => frames.some((bytes) => decodeFrame(bytes).id === id));
  const frame = decodeFrame(frames.find((bytes) => decodeFrame(bytes).id === id) as Buffer);
  return new TextDecoder().decode(decodeHeadPayload(frame.payload).body);
}

describe('a request whose caller waits longer than a timer can count (2^31 - 1 ms, about 24.8 days)', () => {
  it.each([
    ['30 days', 30 * 86_400_000],
    ['1e300 ms', 1e300],
  ])('is not aborted at once for a timeout of %s', async (_, timeout) => {
    const { url } = await serve(
      createRouter().get('/wait', async (request) => {
        const signal = request.signal;
        // Long enough for a timer set past its range, which Node.js fires after 1 ms.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return respond(
          'ok',
          signal.aborted ? `aborted: ${ParleyError.from(signal.reason).status}` : 'waiting',
        );
      }),
    );
    const { socket, frames } = await rawSocket(url);
    socket.send(encodeHeadFrame(FRAME.HEADERS, 1, { method: 'GET', path: '/wait', timeout }));
    expect(await answerOn(frames, 1)).toBe('waiting');
    socket.close();
  });
});
