import { createClient } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';

describe('the correlation ids of a client', () => {
  it('cannot be guessed ahead of its calls, even under a fixed clientId', async () => {
    const broker = await startBroker({ port: 0 });
    const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      // Eve sees requests (topics are not secret) and notes the ids; nobody answers them.
      const ids: string[] = [];
      eve.on('message', (_topic, payload) => {
        ids.push((JSON.parse(payload.toString().split('\n')[0] as string) as { id: string }).id);
      });
      await eve.subscribeAsync('ids/GET/#', { qos: 1 });
      for (let run = 0; run < 2; run++) {
        const client = createClient(mqtt(`${broker.url}/ids`, { clientId: 'fixed', timeoutMs: 300 }), {
          retries: 0,
        });
        for (let call = 0; call < 2; call++) await client.get('/a').catch(() => undefined);
        await client.close();
      }
      expect(ids).toHaveLength(4);
      // A reply planted or sprayed ahead under a small counter answers none of them.
      for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}-[0-9a-z]+$/);
      expect(new Set(ids.map((id) => id.split('-')[0])).size).toBe(2);
    } finally {
      await eve.endAsync();
      await broker.close();
    }
  });
});
