import type { Socket } from 'node:net';
import { createRouter } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { encodeHeadFrame, FRAME } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const start = serveEach();

describe('a client that floods requests and reads none of the answers', () => {
  it('is cut off once its unsent frames pass the backlog limit, instead of the server buffering every refusal', async () => {
    // One request runs forever; every other one is refused (too_many_requests), and each refusal is a frame to send.
    const { url } = await start(
      createRouter().get('/wait', () => new Promise(() => {})),
      { maxInFlight: 1 },
    );
    const { socket, closed } = await rawSocket(url);
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    tcp.pause();
    let done = false;
    void closed.then(() => {
      done = true;
    });
    socket.send(encodeHeadFrame(FRAME.HEADERS, 1, { method: 'GET', path: '/wait' }));
    let id = 3;
    // 300 000 refused requests ask for about 30 MB of refusals.
    for (let batch = 0; batch < 300 && !done; batch++) {
      for (let i = 0; i < 1000; i++) {
        socket.send(encodeHeadFrame(FRAME.HEADERS, id, { method: 'GET', path: '/wait' }, undefined, false));
        id += 2;
      }
      await new Promise((resolve) => setImmediate(resolve));
      while (socket.bufferedAmount > 4 * 1024 * 1024 && !done)
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const outcome = await Promise.race([
      closed.then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 10_000)),
    ]);
    socket.terminate();
    expect(outcome).toBe('closed');
  }, 60_000);
});
