import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/** A request/response loop written directly on `ws`: the baseline Parley is measured against. */
export interface HandWritten {
  /** Sends one request and resolves with the reply's body. */
  call(): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Starts a `ws` server and client that exchange the same bytes Parley does for `GET /echo`
 * answered `ok` with `pong`: a request message of a 5-byte head (type, id), a 4-byte length
 * and the JSON head, and a reply of the same layout plus the body. Both sides parse the JSON
 * head and match replies by id, as any multiplexing protocol must.
 */
export async function startHandWritten(): Promise<HandWritten> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, path: '/raw' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    socket.on('message', (data: Buffer) => {
      const id = data.readUInt32BE(1);
      const length = data.readUInt32BE(5);
      const head = JSON.parse(data.toString('utf8', 9, 9 + length)) as { method: string; path: string };
      if (head.method !== 'GET' || head.path !== '/echo') return;
      socket.send(message(id, { status: 'ok' }, 'pong'));
    });
  });
  const port = (server.address() as AddressInfo).port;
  const client = new WebSocket(`ws://127.0.0.1:${port}/raw`, { perMessageDeflate: false });
  await new Promise<void>((resolve) => client.once('open', resolve));
  const pending = new Map<number, (body: Buffer) => void>();
  client.on('message', (data: Buffer) => {
    const id = data.readUInt32BE(1);
    const length = data.readUInt32BE(5);
    const head = JSON.parse(data.toString('utf8', 9, 9 + length)) as { status: string };
    if (head.status === undefined) return;
    pending.get(id)?.(data.subarray(9 + length));
    pending.delete(id);
  });
  let next = 0;
  return {
    call() {
      const id = ++next;
      return new Promise<Buffer>((resolve) => {
        pending.set(id, resolve);
        client.send(message(id, { method: 'GET', path: '/echo', timeout: 29_999 }, ''));
      });
    },
    async close() {
      client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function message(id: number, head: unknown, body: string): Buffer {
  const json = Buffer.from(JSON.stringify(head));
  const frame = Buffer.allocUnsafe(9 + json.length + body.length);
  frame[0] = 0x81;
  frame.writeUInt32BE(id, 1);
  frame.writeUInt32BE(json.length, 5);
  json.copy(frame, 9);
  frame.write(body, 9 + json.length);
  return frame;
}
