import { createClient, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';
import { requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

const enabled = requireMosquitto();

/**
 * Stores a retained reply with correlation id `1` (the first call's) on the reply topic of the
 * client id `fixed`, as MQTT 5 properties or (`version` 4) a 3.1.1 envelope, then makes three
 * calls as that client: the answers they get.
 */
async function answersAfterPlantedReply(
  brokerUrl: string,
  prefix: string,
  version: 4 | 5,
): Promise<string[]> {
  const planter = await mqttjs.connectAsync(brokerUrl, { protocolVersion: version, reconnectPeriod: 0 });
  const topic = `${prefix}/reply/fixed`;
  if (version === 5) {
    await planter.publishAsync(topic, 'planted', {
      qos: 1,
      retain: true,
      properties: { correlationData: Buffer.from('1'), userProperties: { status: 'ok' } },
    });
  } else {
    const envelope = `${JSON.stringify({ parley: 1, id: '1', status: 'ok', headers: {} })}\nplanted`;
    await planter.publishAsync(topic, envelope, { qos: 1, retain: true });
  }
  await planter.endAsync();
  const server = createServer(async () => respond('ok', 'genuine'));
  await server.listen(mqtt(`${brokerUrl}/${prefix}`));
  const client = createClient(mqtt(`${brokerUrl}/${prefix}`, { clientId: 'fixed' }), { retries: 0 });
  try {
    const answers: string[] = [];
    for (let call = 0; call < 3; call++) answers.push(await (await client.get('/a')).body.text());
    return answers;
  } finally {
    await client.close();
    await server.close({ timeoutMs: 1_000 });
  }
}

describe('a retained message on a client reply topic', () => {
  it('on the embedded broker answers no call: a live reply is never retained', async () => {
    const broker = await startBroker({ port: 0 });
    try {
      expect(await answersAfterPlantedReply(broker.url, 'planted-aedes', 4)).toEqual([
        'genuine',
        'genuine',
        'genuine',
      ]);
    } finally {
      await broker.close();
    }
  });

  it.runIf(enabled)('on mosquitto answers no call: a live reply is never retained', async () => {
    const broker = await startMosquitto();
    try {
      expect(await answersAfterPlantedReply(broker.url, 'planted-mosq', 5)).toEqual([
        'genuine',
        'genuine',
        'genuine',
      ]);
    } finally {
      await broker.stop();
    }
  });
});
