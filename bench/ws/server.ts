/**
 * One WebSocket server of the benchmark, run in its own process: `server.ts <kind>` where kind is
 * `parley` (a Parley server on `ws://127.0.0.1:<port>/parley`) or `ws` (a hand-written `ws`
 * server on `/raw`). Both answer `GET /echo` with `ok` and `pong`, the same bytes (see wire.ts).
 * Prints `{"port": n, "path": p}` once listening; exits when its input ends.
 */
import type { AddressInfo } from 'node:net';
import { createRouter, createServer, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { listenHandWritten } from './hand-written.js';
import { ECHO_PATH, PONG } from './wire.js';

const kind = process.argv[2];

interface Running {
  readonly port: number;
  readonly path: string;
  close(): Promise<void>;
}

async function startParley(): Promise<Running> {
  const server = createServer(createRouter().get(ECHO_PATH, async () => respond('ok', PONG)));
  const listener = await server.listen(ws('ws://127.0.0.1:0/parley'));
  const url = new URL(listener.url);
  return { port: Number(url.port), path: url.pathname, close: () => server.close({ timeoutMs: 1000 }) };
}

/** A `ws` server that reads each request frame's JSON head and answers it, as Parley's does. */
async function startHandWritten(): Promise<Running> {
  const server = await listenHandWritten();
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    path: '/raw',
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const running =
  kind === 'parley' ? await startParley() : kind === 'ws' ? await startHandWritten() : undefined;
if (running === undefined) throw new Error(`Unknown server kind: ${kind} (use parley or ws)`);
process.stdout.write(`${JSON.stringify({ port: running.port, path: running.path })}\n`);
process.stdin.resume();
process.stdin.once('end', () => {
  void running.close().finally(() => process.exit(0));
});
