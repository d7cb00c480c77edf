import type { AddressInfo, Socket } from 'node:net';
import { createClient } from '@parley/core';
import { FRAME, ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { decodeFrame, encodeHeadFrame } from '../src/wire/frame.js';

const open: WebSocketServer[] = [];
afterEach(async () => {
  for (const server of open.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

/**
 * A WebSocket server that answers a request, then stops reading its connection: the client's
 * close frame is never read, so never answered. `cut` resolves when the TCP connection ends.
 */
async function serverIgnoringClose(): Promise<{ url: string; cut: Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/parley' });
  open.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  let ended = (): void => {};
  const cut = new Promise<void>((resolve) => {
    ended = resolve;
  });
  server.on('connection', (socket) => {
    const tcp = (socket as unknown as { _socket: Socket })._socket;
    tcp.once('close', ended);
    socket.on('message', (data: Buffer) => {
      const frame = decodeFrame(new Uint8Array(data));
      if (frame.type !== FRAME.HEADERS) return;
      socket.send(encodeHeadFrame(FRAME.HEADERS, frame.id, { status: 'ok' }, 'hello', true));
      tcp.pause();
    });
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/parley`, cut };
}

describe('a WebSocket server that never answers the close handshake', () => {
  it('has its connection cut by the closing client, well before ws waits 30 s by default', async () => {
    const { url, cut } = await serverIgnoringClose();
    const client = createClient(ws(url));
    const response = await client.get('/a.txt');
    expect(await response.body.text()).toBe('hello');
    await client.close();
    await cut;
    // A client that leaves the connection to ws's 30 s close timeout fails here, on the test's timeout.
  }, 15_000);
});
