import { startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';

/** Waits until `count()` stops growing for `quietMs`. */
async function settled(count: () => number, quietMs = 300): Promise<void> {
  for (let before = -1; before !== count(); ) {
    before = count();
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

describe('how many retained messages the embedded broker keeps and hands out', () => {
  it('keeps maxRetainedMessages topics: the PUBLISH past it is not stored and its connection closed', async () => {
    const broker = await startBroker({ port: 0, maxRetainedMessages: 3 });
    try {
      const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      eve.on('error', () => undefined);
      for (let i = 0; i < 3; i++) await eve.publishAsync(`r/${i}`, 'x', { retain: true, qos: 1 });
      const closed = new Promise<void>((resolve) => eve.once('close', () => resolve()));
      void eve.publishAsync('r/3', 'x', { retain: true, qos: 1 }).catch(() => undefined);
      await closed;
      eve.end(true);
      const reader = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      const received: string[] = [];
      reader.on('message', (topic) => received.push(topic));
      await reader.subscribeAsync('r/#');
      await settled(() => received.length);
      await reader.endAsync();
      expect(received.sort()).toEqual(['r/0', 'r/1', 'r/2']);
    } finally {
      await broker.close();
    }
  });

  it('hands one connection maxRetainedPerConnection retained messages over its life, and live ones after', async () => {
    const broker = await startBroker({ port: 0, maxRetainedPerConnection: 5 });
    try {
      const writer = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      for (let i = 0; i < 4; i++) await writer.publishAsync(`r/${i}`, 'x', { retain: true, qos: 1 });
      const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      const retained: string[] = [];
      const live: string[] = [];
      eve.on('message', (topic, _payload, packet) => (packet.retain ? retained : live).push(topic));
      // Each new filter matching every stored message would get all of them again.
      for (const filter of ['#', 'r/#', 'r/+', '+/+']) await eve.subscribeAsync(filter);
      await settled(() => retained.length);
      expect(retained).toHaveLength(5);
      await writer.publishAsync('r/live', 'y', { qos: 1 });
      await settled(() => live.length);
      expect(live.length).toBeGreaterThan(0);
      // Another connection gets its own count.
      const other = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
      const others: string[] = [];
      other.on('message', (topic) => others.push(topic));
      await other.subscribeAsync('r/#');
      await settled(() => others.length);
      expect(others.sort()).toEqual(['r/0', 'r/1', 'r/2', 'r/3']);
      await Promise.all([writer.endAsync(), eve.endAsync(), other.endAsync()]);
    } finally {
      await broker.close();
    }
  });
});
