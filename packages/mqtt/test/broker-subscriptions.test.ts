import { startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';

/** The SUBACK return codes of a subscription to `filters` (MQTT.js rejects when one is 0x80). */
async function grants(client: mqttjs.MqttClient, filters: string | string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters)).map((grant) => grant.qos);
  } catch (error) {
    const granted = (error as { packet?: { granted?: number[] } }).packet?.granted;
    if (granted === undefined) throw error;
    return granted;
  }
}

describe('subscriptions on the embedded broker', () => {
  it('are at most 1 024 per client (SUBACK 0x80 beyond): one connection cannot grow the broker without bound', async () => {
    const broker = await startBroker({ port: 0 });
    const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      let granted = 0;
      for (let batch = 0; batch < 3; batch++) {
        const filters = Array.from({ length: 400 }, (_, i) => `s/${batch}/${i}/#`);
        granted += (await grants(eve, filters)).filter((code) => code < 0x80).length;
      }
      expect(granted).toBe(1024);
      // Subscribing again to a filter held already takes no more room.
      expect(await grants(eve, 's/0/0/#')).toEqual([0]);
      expect(await grants(eve, 's/other')).toEqual([0x80]);
      await eve.unsubscribeAsync(['s/0/1/#', 's/0/2/#', 'never/subscribed']);
      expect(await grants(eve, ['s/new/1', 's/new/2', 's/new/3'])).toEqual([0, 0, 0x80]);
    } finally {
      eve.end(true);
      await broker.close();
    }
  });

  it('take at most 1 MiB of topic filters per client', async () => {
    const broker = await startBroker({ port: 0 });
    const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      const long = 'f'.repeat(60_000);
      const codes = await grants(
        eve,
        Array.from({ length: 20 }, (_, i) => `${long}/${i}`),
      );
      expect(codes.filter((code) => code < 0x80).length).toBe(17);
    } finally {
      eve.end(true);
      await broker.close();
    }
  });
});
