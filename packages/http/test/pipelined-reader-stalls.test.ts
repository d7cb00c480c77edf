import { connect } from 'node:net';
import { respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';
import { answeredPaths, settled } from './pipelined-answers.js';

const start = serveEach();

/** A streamed body of `size` bytes, made in 64 KiB chunks as they are read. */
async function* streamed(size: number): AsyncIterable<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024);
  for (let sent = 0; sent < size; sent += chunk.byteLength) yield chunk;
}

describe('pipelined GETs from a client that does not read its responses', () => {
  it('start only a few handlers at once (each holds its response body), then all are answered in order once it reads', async () => {
    const size = 1024 * 1024;
    let started = 0;
    const { port } = await start(async (request) => {
      started++;
      return respond('ok', streamed(size), { 'x-path': request.path });
    });
    const count = 300;
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write(
      Array.from({ length: count }, (_, i) => `GET /big/${i} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''),
    );
    // Each started handler buffers up to a chunk of its body in memory until its turn comes.
    expect(await settled(() => started, 400)).toBeLessThanOrEqual(16);
    let bodyBytes = 0;
    const paths = await answeredPaths(socket, '/big/\\d+', count, (chunk) => {
      bodyBytes += chunk.byteLength;
    });
    socket.destroy();
    expect(paths).toEqual(Array.from({ length: count }, (_, i) => `/big/${i}`));
    expect(bodyBytes).toBeGreaterThan((count - 1) * size);
    expect(started).toBe(count);
  }, 120_000);
});
