import { connect, type Socket } from 'node:net';
import { startBroker } from '@parley/mqtt';
import { describe, expect, it } from 'vitest';

describe("the embedded broker's WebSocket port", () => {
  it('keeps no more connections than maxConnections, even ones that never ask to upgrade', async () => {
    const broker = await startBroker({ port: 0, wsPort: 0, maxConnections: 20 });
    const sockets: Socket[] = [];
    try {
      const port = Number(new URL(broker.wsUrl as string).port);
      const closed: boolean[] = [];
      for (let i = 0; i < 40; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        const index = closed.push(false) - 1;
        socket.on('close', () => {
          closed[index] = true;
        });
        sockets.push(socket);
        await new Promise((resolve) => socket.once('connect', resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(closed.filter((gone) => !gone).length).toBeLessThanOrEqual(20);
    } finally {
      for (const socket of sockets) socket.destroy();
      await broker.close();
    }
  });

  it('closes a connection that sends no upgrade request within connectTimeoutMs', async () => {
    const broker = await startBroker({ port: 0, wsPort: 0, connectTimeoutMs: 300 });
    const socket = connect(Number(new URL(broker.wsUrl as string).port), '127.0.0.1');
    socket.on('error', () => undefined);
    try {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const closed = await Promise.race([
        new Promise((resolve) => socket.once('close', () => resolve('closed'))),
        new Promise((resolve) => setTimeout(() => resolve('still open'), 5000)),
      ]);
      expect(closed).toBe('closed');
    } finally {
      socket.destroy();
      await broker.close();
    }
  });
});
