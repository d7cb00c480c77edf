import WebSocket, { WebSocketServer } from 'ws';
import { ECHO_PATH, readFrame, replyFrame, requestFrame } from './wire.js';

/** A request/response client written directly on `ws`: the baseline Parley's client is measured against. */
export interface HandWrittenClient {
  /** Sends one request and resolves with the reply's body. */
  call(): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Connects a `ws` client that sends the frames Parley's client sends (see wire.ts) and matches
 * replies to requests by stream id, parsing each reply's JSON head, as any multiplexing protocol
 * must. Nagle is off, as in every `ws` socket.
 */
export async function connectHandWritten(url: string): Promise<HandWrittenClient> {
  const client = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    client.once('open', resolve);
    client.once('error', reject);
  });
  const pending = new Map<number, (body: Buffer) => void>();
  client.on('message', (data: Buffer) => {
    const { id, head, body } = readFrame(data);
    if (typeof head.status !== 'string') return;
    pending.get(id)?.(body);
    pending.delete(id);
  });
  let next = 0;
  return {
    call() {
      const id = ++next;
      return new Promise<Buffer>((resolve) => {
        pending.set(id, resolve);
        client.send(requestFrame(id));
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.close();
      await closed;
    },
  };
}

/**
 * Starts a `ws` server on `127.0.0.1`, a free port and path `/raw` that reads each request frame's
 * JSON head and answers `GET /echo`, as Parley's does: the baseline Parley's server is measured
 * against.
 */
export async function listenHandWritten(): Promise<WebSocketServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, path: '/raw' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const { id, head } = readFrame(data);
      if (head.method === 'GET' && head.path === ECHO_PATH) socket.send(replyFrame(id));
    });
  });
  return server;
}
