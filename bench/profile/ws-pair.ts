/**
 * The WebSocket benchmark's two sides (bench/ws) in one process: a server and a client connected
 * to it, for instruction counting (see scenario.ts).
 */
import type { AddressInfo } from 'node:net';
import { createClient, createRouter, createServer, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { connectHandWritten, listenHandWritten } from '../ws/hand-written.js';
import { ECHO_PATH, PONG } from '../ws/wire.js';

/** A client and its server: one round trip per `call`. */
export interface WsPair {
  call(): Promise<unknown>;
  close(): Promise<void>;
}

/** Parley's server and client, as bench/ws runs them. */
export async function startParleyWs(): Promise<WsPair> {
  const server = createServer(createRouter().get(ECHO_PATH, async () => respond('ok', PONG)));
  const listener = await server.listen(ws('ws://127.0.0.1:0/parley'));
  const client = createClient(ws(listener.url), { retries: 0 });
  return {
    call: async () => (await client.get(ECHO_PATH)).body.bytes(),
    close: async () => {
      await client.close();
      await server.close({ timeoutMs: 1000 });
    },
  };
}

/** The hand-written `ws` server and client of bench/ws. */
export async function startHandWs(): Promise<WsPair> {
  const server = await listenHandWritten();
  const { port } = server.address() as AddressInfo;
  const client = await connectHandWritten(`ws://127.0.0.1:${port}/raw`);
  return {
    call: () => client.call(),
    close: async () => {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
