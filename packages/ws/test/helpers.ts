import { type CreateServerOptions, createServer, type Server, type Service } from '@parley/core';
import { type WsOptions, ws } from '@parley/ws';
import { afterEach } from 'vitest';
import WebSocket from 'ws';

/** A Parley server over WebSocket on a free port. */
export interface Served {
  readonly server: Server;
  readonly url: string;
}

/** A `serve` whose servers are all closed after each test of the file that calls it. */
export function serveEach(): (
  service: Service,
  options?: WsOptions,
  server?: CreateServerOptions,
) => Promise<Served> {
  const running: Server[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close({ timeoutMs: 500 })));
  });
  return async (service, options = {}, serverOptions = {}) => {
    const server = createServer(service, serverOptions);
    running.push(server);
    const listener = await server.listen(ws('ws://127.0.0.1:0/parley', options));
    return { server, url: listener.url };
  };
}

/** The HTTP status a raw upgrade got (101 when it was accepted), and its header fields. */
export function upgradeStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ code: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers, perMessageDeflate: false });
    socket.once('unexpected-response', (request, response) => {
      request.destroy();
      resolve({ code: response.statusCode ?? 0, headers: response.headers });
    });
    socket.once('open', () => {
      socket.close();
      resolve({ code: 101, headers: {} });
    });
    socket.once('error', reject);
  });
}

/** A raw WebSocket connection, for frames written by hand. */
export async function rawSocket(
  url: string,
): Promise<{ socket: WebSocket; frames: Buffer[]; closed: Promise<number> }> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const frames: Buffer[] = [];
  socket.on('message', (data) => frames.push(data as Buffer));
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { socket, frames, closed };
}
