import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';

describe('sessions on the embedded broker', () => {
  it('keeps none after its connection ends: an offline subscriber to # queues no messages (memory would grow with all traffic)', async () => {
    const broker = await startBroker({ port: 0 });
    const server = createServer(createRouter().get('/n', async () => respond('ok', 'x'.repeat(64 * 1024))));
    try {
      await server.listen(mqtt(`${broker.url}/svc`));
      const options = { clientId: 'eve-offline', clean: false, reconnectPeriod: 0 } as const;
      const eve = await mqttjs.connectAsync(broker.url, options);
      await eve.subscribeAsync('#', { qos: 1 });
      await eve.endAsync();
      await using alice = createClient(mqtt(`${broker.url}/svc`), { retries: 0 });
      for (let i = 0; i < 20; i++) await (await alice.get('/n')).body.bytes();
      const queued: string[] = [];
      const back = mqttjs.connect(broker.url, { ...options, manualConnect: true });
      back.on('message', (topic) => queued.push(topic));
      const connack = new Promise<boolean>((resolve) =>
        back.once('connect', (packet) => resolve(packet.sessionPresent)),
      );
      back.connect();
      expect(await connack).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await back.endAsync();
      expect(queued).toEqual([]);
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });
});
