import { createRouter, ParleyError, respond } from '@parley/core';
import { FRAME } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { gate } from '../../../test/support/gate.js';
import { decodeFrame, decodeHeadPayload, encodeHeadFrame } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const serve = serveEach();

describe('a request body the client stops sending midway', () => {
  it('fails the handler read with timeout after idleTimeoutMs without bytes, so the handler answers', async () => {
    const { url } = await serve(
      createRouter().put('/*', async (request) => {
        try {
          await request.body.bytes();
          return respond('ok', 'read');
        } catch (error) {
          return respond(ParleyError.from(error).status, 'failed');
        }
      }),
      { idleTimeoutMs: 200 },
    );
    const { socket, frames } = await rawSocket(url);
    // A body follows (no END), one byte of it comes, then nothing more: the connection stays open.
    socket.send(encodeHeadFrame(FRAME.HEADERS, 1, { method: 'PUT', path: '/f.txt' }, 'x', false));
    await eventually(() => frames.some((bytes) => decodeFrame(bytes).id === 1), 5_000);
    const answer = decodeFrame(frames.find((bytes) => decodeFrame(bytes).id === 1) as Buffer);
    expect(decodeHeadPayload(answer.payload).head).toEqual({ status: 'timeout' });
    socket.close();
  });

  it('is not cut while the handler does not read it: then the client cannot send', async () => {
    const held = gate();
    const { url } = await serve(
      createRouter().put('/*', async (request) => {
        await held.opened;
        return respond('ok', `${(await request.body.bytes()).byteLength}`);
      }),
      { idleTimeoutMs: 100 },
    );
    const { socket, frames } = await rawSocket(url);
    socket.send(encodeHeadFrame(FRAME.HEADERS, 1, { method: 'PUT', path: '/f.txt' }, 'x', false));
    await new Promise((resolve) => setTimeout(resolve, 400));
    held.open();
    socket.send(Buffer.from([0x82, 0, 0, 0, 1, 0x79]));
    await eventually(() => frames.some((bytes) => decodeFrame(bytes).id === 1), 5_000);
    const answer = decodeFrame(frames.find((bytes) => decodeFrame(bytes).id === 1) as Buffer);
    expect(decodeHeadPayload(answer.payload).head).toEqual({ status: 'ok' });
    expect(new TextDecoder().decode(decodeHeadPayload(answer.payload).body)).toBe('2');
    socket.close();
  });
});
