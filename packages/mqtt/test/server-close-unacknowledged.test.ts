import { createServer as createNetServer } from 'node:net';
import { createRouter, createServer, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { Aedes, type Client as AedesClient } from 'aedes';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';

describe('closing a server whose broker never acknowledges its replies', () => {
  it('ends within about a second and cuts its connection', async () => {
    const connected = new Set<string>();
    const aedes = await Aedes.createBroker({
      // Replies (the server's publishes on reply topics) are never acknowledged.
      authorizePublish: (_client: AedesClient | null, packet, done) => {
        if (!packet.topic.includes('/reply/')) done(null);
      },
    });
    aedes.on('client', (client) => connected.add(client.id));
    aedes.on('clientDisconnect', (client) => connected.delete(client.id));
    const tcp = createNetServer(aedes.handle);
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const url = `mqtt://127.0.0.1:${(tcp.address() as { port: number }).port}`;
    const server = createServer(createRouter().get('/a', async () => respond('ok', 'fine')));
    const caller = await mqttjs.connectAsync(url, { reconnectPeriod: 0 });
    try {
      await server.listen(mqtt(`${url}/svc`, { clientId: 'the-server' }));
      await caller.subscribeAsync('svc/reply/#');
      caller.publish('svc/GET/a', '', { qos: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      await server.close({ timeoutMs: 500 });
      expect(Date.now() - started).toBeLessThan(3_000);
      await eventually(() => !connected.has('the-server'));
    } finally {
      caller.end(true);
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      tcp.close();
    }
  });
});
