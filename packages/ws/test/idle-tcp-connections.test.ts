import { connect, type Socket } from 'node:net';
import { createRouter } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { serveEach, upgradeStatus } from './helpers.js';

const start = serveEach();

describe('TCP connections that never ask to upgrade', () => {
  it('are bounded too: past twice maxConnections, new ones are closed at once, and upgrades still work after', async () => {
    const { url } = await start(createRouter(), { maxConnections: 10 });
    const port = Number(new URL(url).port);
    const sockets: Socket[] = [];
    const open = new Set<Socket>();
    try {
      for (let i = 0; i < 40; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => open.delete(socket));
        sockets.push(socket);
        await new Promise((resolve) => socket.once('connect', resolve));
        open.add(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(open.size).toBeLessThanOrEqual(20);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await upgradeStatus(url)).code).toBe(101);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
