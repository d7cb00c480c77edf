import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

/** Reply topics no reply can be published to: a broker closes the connection of a client that tries. */
const hostileTopics = ['x/#', 'x/+/y', '#', '$SYS/x', 'a\tb', 'a\u0000b'];

/**
 * Sends a request naming each hostile reply topic (as an MQTT 5 Response Topic when `version`
 * is 5, and in an envelope), then checks that the server still answers, that it served none of
 * them, and that the hostile requester got `bad_request` on the plain reply topic.
 */
async function checkServerSurvives(url: string, version: 4 | 5): Promise<void> {
  let served = 0;
  const server = createServer(
    createRouter().get('/a', async () => {
      served++;
      return respond('ok', 'fine');
    }),
  );
  const prefix = `svc${version}`;
  await server.listen(mqtt(`${url}/${prefix}`));
  const evil = await mqttjs.connectAsync(url, { protocolVersion: version, reconnectPeriod: 0 });
  try {
    const refusals: string[] = [];
    evil.on('message', (_topic, payload) => refusals.push(payload.toString()));
    await evil.subscribeAsync(`${prefix}/reply/#`);
    for (const replyTo of hostileTopics) {
      if (version === 5 && !replyTo.includes('\u0000') && !replyTo.includes('\t'))
        evil.publish(`${prefix}/GET/a`, '', {
          qos: 1,
          properties: { responseTopic: replyTo, correlationData: Buffer.from('c') },
        });
      evil.publish(`${prefix}/GET/a`, `${JSON.stringify({ parley: 1, replyTo, id: 'e' })}\n`, { qos: 1 });
    }
    await using client = createClient(mqtt(`${url}/${prefix}`), { timeoutMs: 5_000, retries: 0 });
    await expect.poll(() => refusals.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(hostileTopics.length);
    for (const refusal of refusals) expect(refusal).toMatch(/reply topic cannot be published to/);
    for (let i = 0; i < 3; i++) expect(await (await client.get('/a')).body.text()).toBe('fine');
    expect(served).toBe(3);
  } finally {
    evil.end(true);
    await server.close({ timeoutMs: 1_000 });
  }
}

describe('requests naming a reply topic no reply can be published to', () => {
  describe.runIf(requireMosquitto())('on mosquitto (MQTT 5)', () => {
    let broker: Mosquitto | undefined;
    afterAll(() => broker?.stop());
    it('are refused on the plain reply topic, unserved, and the server goes on answering', async () => {
      broker = await startMosquitto();
      await checkServerSurvives(broker.url, 5);
    });
  });

  describe('on the embedded broker (MQTT 3.1.1)', () => {
    let broker: Awaited<ReturnType<typeof startBroker>> | undefined;
    afterAll(() => broker?.close());
    it('are refused on the plain reply topic, unserved, and the server goes on answering', async () => {
      broker = await startBroker({ port: 0 });
      await checkServerSurvives(broker.url, 4);
    });
  });
});
