import { createConnection, createServer } from 'node:net';
import { eventually } from './eventually.js';

/** A port on 127.0.0.1 nothing listens on now (for peers that cannot take port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1 at `port`. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits (bounded) until something accepts connections at `port`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  await eventually(() => accepts(port), { timeoutMs, intervalMs: 50, what: `a listener on port ${port}` });
}
