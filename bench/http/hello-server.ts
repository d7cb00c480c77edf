/**
 * One hello server of the benchmark, run in its own process: `hello-server.ts <kind>` where kind
 * is `parley`, `node`, `fastify` or `express`. Every kind answers `GET /hello` with the same
 * 200 `hello world` (text/plain). Prints `{"port": n}` once listening; exits on SIGTERM.
 */
import { createServer as createNodeServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRouter, createServer, respond } from '@parley/core';
import { http } from '@parley/http';
import express from 'express';
import fastify from 'fastify';

const TEXT = 'hello world';
const kind = process.argv[2];

async function start(): Promise<{ port: number; close: () => Promise<void> }> {
  switch (kind) {
    case 'parley': {
      const router = createRouter().get('/hello', async () =>
        respond('ok', TEXT, { 'content-type': 'text/plain' }),
      );
      const server = createServer(router);
      const listener = await server.listen(http('http://127.0.0.1:0'));
      return { port: Number(new URL(listener.url).port), close: () => server.close({ timeoutMs: 1000 }) };
    }
    case 'node': {
      const server = createNodeServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': TEXT.length }).end(TEXT);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { port: (server.address() as AddressInfo).port, close: async () => void server.close() };
    }
    case 'fastify': {
      const app = fastify();
      app.get('/hello', async (_req, reply) => reply.type('text/plain').send(TEXT));
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
    }
    case 'express': {
      const app = express();
      app.get('/hello', (_req: unknown, res: { type(t: string): { send(s: string): void } }) => {
        res.type('text/plain').send(TEXT);
      });
      const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
        const started = app.listen(0, '127.0.0.1', () => resolve(started));
      });
      return { port: (server.address() as AddressInfo).port, close: async () => void server.close() };
    }
    default:
      throw new Error(`Unknown server kind: ${kind}`);
  }
}

const running = await start();
process.stdout.write(`${JSON.stringify({ port: running.port })}\n`);
process.once('SIGTERM', () => {
  void running.close().finally(() => process.exit(0));
});
