import { connect } from 'node:net';
import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';
import { answeredPaths, settled } from './pipelined-answers.js';

const start = serveEach();

describe('a client pipelining requests without reading the answers', () => {
  it('is no longer read once requests wait for their turn, and is answered in order once it reads', async () => {
    // Answers small enough that those waiting unsent never make `node:http` itself stop reading;
    // the client reads none, so once the connection's buffers are full no answer goes out.
    const body = 'x'.repeat(1024);
    const { port } = await start(async (request) => respond('ok', body, { 'x-path': request.path }));
    const count = 12_000;
    const pad = 'x'.repeat(2 * 1024);
    const requests = Array.from(
      { length: count },
      (_, i) => `GET /small/${i} HTTP/1.1\r\nHost: x\r\nX-Pad: ${pad}\r\n\r\n`,
    ).join('');
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    // Written 16 KiB at a time, so that what the server has not read yet stays in `writableLength`.
    for (let i = 0; i < requests.length; i += 16 * 1024) socket.write(requests.slice(i, i + 16 * 1024));
    // Read whole, the 24 MiB of requests would all be parsed and held by the server.
    const unsent = await settled(() => socket.writableLength, 1500);
    expect(unsent).toBeGreaterThan(requests.length / 4);
    const paths = await answeredPaths(socket, '/small/\\d+', count);
    socket.destroy();
    expect(paths).toEqual(Array.from({ length: count }, (_, i) => `/small/${i}`));
  }, 120_000);
});
