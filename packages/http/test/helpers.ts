import { connect, type Socket } from 'node:net';
import { type CreateServerOptions, createServer, type Handler, type Server } from '@parley/core';
import { type HttpOptions, http } from '@parley/http';
import { afterEach } from 'vitest';

/** A Parley server on a free port, with the port and URL it listens on. */
export interface Served {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
}

/** Serves `handler` over HTTP on 127.0.0.1 and a free port. */
export async function serve(
  handler: Handler,
  options: HttpOptions = {},
  server: CreateServerOptions = {},
): Promise<Served> {
  const running = createServer(handler, server);
  const listener = await running.listen(http('http://127.0.0.1:0', options));
  return { server: running, url: listener.url, port: Number(new URL(listener.url).port) };
}

/** A `serve` whose servers are all closed after each test of the file that calls it. */
export function serveEach(): (...args: Parameters<typeof serve>) => Promise<Served> {
  const running: Served[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map(({ server }) => server.close({ timeoutMs: 500 })));
  });
  return async (...args) => {
    const served = await serve(...args);
    running.push(served);
    return served;
  };
}

/** A raw TCP connection that collects what the server sends and notes when it closes. */
export interface RawConnection {
  readonly socket: Socket;
  /** Everything received so far. */
  received(): string;
  /** Resolves once the server closed the connection (or it errored), with everything received. */
  readonly closed: Promise<string>;
  /** Resolves once the received text contains `text`. */
  waitFor(text: string): Promise<string>;
}

/** Opens a raw connection to 127.0.0.1:port and writes `text`, if given. */
export async function rawConnection(port: number, text?: string): Promise<RawConnection> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let data = '';
  const waiters = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<string>((resolve) => {
    socket.once('close', () => resolve(data));
    socket.on('error', () => {});
  });
  if (text !== undefined) socket.write(text);
  return {
    socket,
    received: () => data,
    closed,
    waitFor: (wanted) =>
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          if (!data.includes(wanted)) return;
          waiters.delete(check);
          resolve(data);
        };
        waiters.add(check);
        check();
        void closed.then(() => {
          if (waiters.delete(check)) reject(new Error(`Closed before "${wanted}" arrived; got: ${data}`));
        });
      }),
  };
}

/** The status code of the first response in a raw HTTP exchange. */
export function statusCode(raw: string): number {
  return Number(raw.slice(9, 12));
}
