import type { AddressInfo } from 'node:net';
import { createClient } from '@parley/core';
import { ws } from '@parley/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { ECHO_PATH, readFrame, replyFrame, requestFrame } from './wire.js';

/**
 * Checks that both contenders put the same bytes on the wire, and throws when they do not: each
 * server's reply to the hand-written request is exactly the hand-written reply, and Parley's
 * client sends a request frame of the hand-written request's length and head (only the digits of
 * its `timeout`, the ms the caller still waits, may differ). Returns a line saying so.
 */
export async function checkSameBytes(serverUrls: readonly string[]): Promise<string> {
  const expected = replyFrame(7);
  for (const url of serverUrls) {
    const reply = await exchangeOnce(url, requestFrame(7));
    if (!reply.equals(expected))
      throw new Error(`${url} answered ${reply.toString('hex')}, not ${expected.toString('hex')}`);
  }
  const request = await parleyRequestFrame();
  const { id, head } = readFrame(request);
  const handWritten = requestFrame(id);
  const { timeout, ...rest } = head;
  const { timeout: _, ...handRest } = readFrame(handWritten).head;
  if (
    request.byteLength !== handWritten.byteLength ||
    typeof timeout !== 'number' ||
    JSON.stringify(rest) !== JSON.stringify(handRest)
  )
    throw new Error(`Parley's client sent ${request.toString()}, not ${handWritten.toString()}`);
  return `same bytes on the wire: a ${request.byteLength}-byte request frame, a ${expected.byteLength}-byte reply frame`;
}

/** Sends one frame to a server on a fresh connection and resolves with the first frame back. */
async function exchangeOnce(url: string, frame: Buffer): Promise<Buffer> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('message', (data: Buffer) => resolve(data));
      socket.once('open', () => socket.send(frame));
    });
  } finally {
    socket.terminate();
  }
}

/** The request frame Parley's client sends for `get('/echo')`, caught by a `ws` server that answers it. */
async function parleyRequestFrame(): Promise<Buffer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  let caught: Buffer | undefined;
  server.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      caught ??= data;
      socket.send(replyFrame(readFrame(data).id));
    });
  });
  const client = createClient(ws(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`), {
    retries: 0,
  });
  try {
    await (await client.get(ECHO_PATH)).body.bytes();
  } finally {
    await client.close();
    for (const socket of server.clients) socket.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (caught === undefined) throw new Error("Parley's client sent no request frame");
  return caught;
}
