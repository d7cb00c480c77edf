import { createRouter, respond } from '@parley/core';
import { FRAME } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { decodeFrame, decodeHeadPayload, encodeHeadFrame } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const serve = serveEach();

/**
 * Sends a hostile request head on stream 3 and a good one on stream 5 over one raw connection;
 * returns the answer on stream 3, how many requests the handler served, and whether the
 * connection was closed.
 */
async function sendHostileHead(head: Record<string, unknown>) {
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
  socket.send(encodeHeadFrame(FRAME.HEADERS, 3, head));
  socket.send(encodeHeadFrame(FRAME.HEADERS, 5, { method: 'GET', path: '/ok.txt' }));
  await eventually(
    () =>
      closeCode !== undefined ||
      frames.some((bytes) => decodeFrame(bytes).id === 5 && decodeFrame(bytes).end),
  );
  const refused = frames.map((bytes) => decodeFrame(bytes)).find((frame) => frame.id === 3);
  socket.close();
  return { refused, calls, closeCode };
}

/** Checks that stream 3 was answered `bad_request` with a reason matching `reason`, unserved. */
function expectRefused(outcome: Awaited<ReturnType<typeof sendHostileHead>>, reason: RegExp): void {
  expect(outcome.refused).toMatchObject({ type: FRAME.HEADERS, end: true });
  const { head, body } = decodeHeadPayload((outcome.refused as { payload: Uint8Array }).payload);
  expect(head).toEqual({ status: 'bad_request' });
  expect(new TextDecoder().decode(body)).toMatch(reason);
  expect(outcome.calls).toBe(1);
  expect(outcome.closeCode).toBeUndefined();
}

describe('request heads with a path the contract refuses', () => {
  it.each([
    ['a NUL', '/x\u0000.txt', /NUL/],
    ['a line break', '/x\r\n.txt', /control characters/],
    ['a bidirectional override', '/invoice\u202Etxt.exe', /bidirectional/],
  ])(
    'answers a path with %s with `bad_request` and a readable reason on its stream; the connection goes on',
    async (_, path, reason) => {
      expectRefused(await sendHostileHead({ method: 'GET', path }), reason);
    },
  );
});

describe('request heads with header fields no protocol can carry', () => {
  it.each([
    ['a CR LF in a value', { 'x-a': 'v\r\nx-injected: 1' }, /CR, LF or NUL/],
    ['a NUL in a value', { 'x-a': 'v\u0000w' }, /CR, LF or NUL/],
    ['a space in a name', { 'x a': 'v' }, /not a header field name/],
  ])(
    'answers %s with `bad_request` on its stream, unserved; the connection goes on',
    async (_, headers, reason) => {
      expectRefused(await sendHostileHead({ method: 'GET', path: '/a', headers }), reason);
    },
  );
});
