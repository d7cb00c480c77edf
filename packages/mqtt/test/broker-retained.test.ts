import { startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;

describe('retained messages on the embedded broker', () => {
  it('are kept up to 64 MiB in all: an anonymous client cannot fill memory with retained messages', async () => {
    const broker = await startBroker({ port: 0 });
    try {
      const payload = Buffer.alloc(MiB, 0x61);
      for (let i = 0; i < 100; i++) {
        const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
        eve.on('error', () => undefined);
        await eve.publishAsync(`r/${i}`, payload, { retain: true, qos: 1 }).catch(() => undefined);
        eve.end(true);
      }
      const reader = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      const received: string[] = [];
      reader.on('message', (topic) => received.push(topic));
      await reader.subscribeAsync('r/#');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await reader.endAsync();
      expect(received.length).toBeLessThanOrEqual(64);
      expect(received.length).toBeGreaterThan(0);
      // Clearing a retained message (an empty one) frees its room for another.
      const clearing = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      await clearing.publishAsync(received[0] as string, Buffer.alloc(0), { retain: true, qos: 1 });
      await clearing.publishAsync('r/new', payload, { retain: true, qos: 1 });
      const again: string[] = [];
      clearing.on('message', (topic) => again.push(topic));
      await clearing.subscribeAsync('r/new');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await clearing.endAsync();
      expect(again).toEqual(['r/new']);
    } finally {
      await broker.close();
    }
  }, 60_000);
});
