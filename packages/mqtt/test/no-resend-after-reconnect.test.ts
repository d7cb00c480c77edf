import { createServer as createNetServer } from 'node:net';
import { createClient, ParleyError } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { Aedes, type Client as AedesClient } from 'aedes';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';

describe('a request the broker never acknowledged, when the connection drops', () => {
  it('fails its call and is not sent again after the client reconnects', async () => {
    const seen: string[] = [];
    let dropped = false;
    const aedes = await Aedes.createBroker({
      // The first request published on the prefix drops its connection before any PUBACK.
      authorizePublish: (client: AedesClient | null, packet, done) => {
        if (packet.topic.startsWith('once/')) {
          seen.push(packet.topic);
          if (!dropped) {
            dropped = true;
            client?.conn.destroy();
            return;
          }
        }
        done(null);
      },
    });
    const tcp = createNetServer(aedes.handle);
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const port = (tcp.address() as { port: number }).port;
    try {
      await using client = createClient(mqtt(`mqtt://127.0.0.1:${port}/once`, { reconnectPeriodMs: 100 }), {
        timeoutMs: 3_000,
        retries: 0,
      });
      const failure = await client.post('/orders', 'one').catch((error: unknown) => ParleyError.from(error));
      expect(failure).toMatchObject({ status: 'unavailable' });
      // Reconnected (the call below is published on the new connection)...
      void client.get('/probe', { timeoutMs: 1_500 }).catch(() => undefined);
      await eventually(() => seen.some((topic) => topic.includes('/GET/')));
      // ...and the failed POST was not sent again behind its caller's back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(seen.filter((topic) => topic.includes('/POST/'))).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      tcp.close();
    }
  });
});
