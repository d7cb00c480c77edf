import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { createClient } from '@parley/core';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';

let silent: TcpServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  silent = undefined;
});

/** A TCP server that accepts connections and never answers; resolves `closed` once a connection ends. */
async function silentServer(): Promise<{ url: string; closed: Promise<void> }> {
  let ended = (): void => {};
  const closed = new Promise<void>((resolve) => {
    ended = resolve;
  });
  silent = createTcpServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.resume();
    socket.once('close', ended);
  });
  await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  return { url: `ws://127.0.0.1:${port}/parley`, closed };
}

describe('a ws client closed while its connection is opening', () => {
  it('fails the waiting call as closed, settles its close and drops the connection', async () => {
    const { url, closed } = await silentServer();
    const client = createClient(ws(url, { connectTimeoutMs: 20_000 }), { timeoutMs: 25_000 });
    const call = client.get('/x');
    call.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.close();
    await expect(call).rejects.toMatchObject({ status: 'unavailable', message: 'The client was closed' });
    await closed;
    // Well within the connection attempt's own timeout: a close that waited for it fails here.
  }, 10_000);
});
