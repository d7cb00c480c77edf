import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import mqttjs, { type IPublishPacket, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { failure } from './fixtures/failure.js';
import { suiteBroker } from './fixtures/suite-broker.js';

/** A plain MQTT client that records every request published under a prefix (and never answers). */
async function eavesdrop(url: string, version: 4 | 5, prefix: string) {
  const raw: MqttClient = await mqttjs.connectAsync(url, { protocolVersion: version });
  const seen: { topic: string; payload: Buffer; packet: IPublishPacket }[] = [];
  raw.on('message', (topic, payload, packet) => seen.push({ topic, payload, packet }));
  await raw.subscribeAsync(`${prefix}/GET/#`, { qos: 1 });
  return { raw, seen };
}

describe.runIf(requireMosquitto())("the caller's deadline over MQTT 5 (mosquitto)", () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(() => broker?.stop());

  it('sets the message expiry from the per-call timeout, and the handler sees that deadline', async () => {
    const { raw, seen } = await eavesdrop(broker.url, 5, 'expiry5');
    try {
      await using client = createClient(mqtt(`${broker.url}/expiry5`), { retries: 0 });
      const error = await failure(client.get('/short', { timeoutMs: 2000 }));
      expect(error.status).toBe('timeout');
      void client.get('/long', { timeoutMs: 60_000 }).catch(() => undefined);
      await eventually(() => seen.length === 2);
      const expiry = (path: string) =>
        seen.find(({ topic }) => topic.endsWith(path))?.packet.properties?.messageExpiryInterval;
      expect(expiry('/short')).toBe(2);
      // The transport's own reply wait (timeoutMs, 30 s by default) bounds it too.
      expect(expiry('/long')).toBe(30);
    } finally {
      await raw.endAsync();
    }

    const deadlines: number[] = [];
    await using server = createServer(
      createRouter().get('/deadline', async (request) => {
        deadlines.push((request.deadline ?? Number.POSITIVE_INFINITY) - Date.now());
        return respond('ok', 'seen');
      }),
    );
    await server.listen(mqtt(`${broker.url}/expiry5`));
    await using client = createClient(mqtt(`${broker.url}/expiry5`), { retries: 0 });
    expect((await client.get('/deadline', { timeoutMs: 1000 })).status).toBe('ok');
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]).toBeLessThanOrEqual(1000);
  });
});

describe("the caller's deadline over MQTT 3.1.1 (embedded broker)", () => {
  const broker = suiteBroker();

  it('puts the per-call deadline in the envelope, so a server drops the request once its caller gave up', async () => {
    const { raw, seen } = await eavesdrop(broker.url, 4, 'late');
    const handled: string[] = [];
    await using server = createServer(
      createRouter().get('/echo/:name', async (request) => {
        handled.push(request.params.name);
        return respond('ok', 'handled');
      }),
    );
    await server.listen(mqtt(`${broker.url}/served`));
    try {
      await using client = createClient(mqtt(`${broker.url}/late`), { retries: 0 });
      const started = Date.now();
      const error = await failure(client.get('/echo/stale', { timeoutMs: 200 }));
      expect(error.status).toBe('timeout');
      await eventually(() => seen.length === 1);
      const request = seen[0];
      if (request === undefined) throw new Error('no request was published');
      const header = JSON.parse(request.payload.subarray(0, request.payload.indexOf(10)).toString());
      // The call's own deadline (200 ms), not the transport's 30 s reply wait.
      expect(header.deadline).toBeGreaterThanOrEqual(started + 200);
      expect(header.deadline).toBeLessThan(started + 1000);

      // The same message, delivered to a server after its caller gave up, is not handled; a
      // fresh one sent after it on the same connection is.
      await raw.subscribeAsync('served/reply/raw', { qos: 1 });
      await raw.publishAsync('served/GET/echo/stale', request.payload, { qos: 1 });
      const fresh = { parley: 1, replyTo: 'served/reply/raw', id: 'f', deadline: Date.now() + 5000 };
      await raw.publishAsync('served/GET/echo/fresh', `${JSON.stringify(fresh)}\n`, { qos: 1 });
      await eventually(() => seen.some(({ topic }) => topic === 'served/reply/raw'));
      const reply = seen.find(({ topic }) => topic === 'served/reply/raw');
      expect(reply?.payload.toString()).toBe(
        `${JSON.stringify({ parley: 1, id: 'f', status: 'ok' })}\nhandled`,
      );
      expect(handled).toEqual(['fresh']);
    } finally {
      await raw.endAsync();
    }
  });
});
