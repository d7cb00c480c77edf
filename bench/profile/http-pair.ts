/**
 * The HTTP hello server of `bench/http` (Parley or bare `node:http`) and a client that costs
 * the same on both sides: one raw socket sending ten pipelined `GET /hello` per call and
 * counting the response bytes. For counting what the server does per request (see count.ts).
 */
import { createServer as createNodeServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { createRouter, createServer, respond } from '@parley/core';
import { http } from '@parley/http';
import { helloExchange } from './hello-exchange.js';

const TEXT = 'hello world';
const PIPELINED = 10;

/** Starts a hello server of `kind` and returns its port and how to close it. */
async function startServer(kind: 'parley' | 'node'): Promise<{ port: number; close(): Promise<void> }> {
  if (kind === 'parley') {
    const server = createServer(
      createRouter().get('/hello', async () => respond('ok', TEXT, { 'content-type': 'text/plain' })),
    );
    const listener = await server.listen(http('http://127.0.0.1:0'));
    return { port: Number(new URL(listener.url).port), close: () => server.close({ timeoutMs: 1000 }) };
  }
  const server = createNodeServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': TEXT.length }).end(TEXT);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A hello server and a raw client: `call()` makes ten pipelined requests. */
export async function startHttpPair(kind: 'parley' | 'node'): Promise<{
  call(): Promise<unknown>;
  close(): Promise<void>;
}> {
  const server = await startServer(kind);
  const socket = connect(server.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.setNoDelay(true);
  // One response alone gives its size: every response has the same (the date too has a fixed width).
  const size = await helloExchange(socket, 1, undefined);
  return {
    call: () => helloExchange(socket, PIPELINED, size),
    close: async () => {
      socket.destroy();
      await server.close();
    },
  };
}
