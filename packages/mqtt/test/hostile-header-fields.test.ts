import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

let served = 0;
const server = createServer(
  createRouter().get('/a', async () => {
    served++;
    return respond('ok', 'fine');
  }),
);
afterAll(() => server.close({ timeoutMs: 1_000 }));

interface Reply {
  readonly payload: string;
  readonly properties: mqttjs.IPublishPacket['properties'];
}

/** Publishes one request by hand on `url` and waits for its reply. */
async function callByHand(
  url: string,
  version: 4 | 5,
  publish: (peer: mqttjs.MqttClient, replyTo: string) => void,
): Promise<Reply> {
  const peer = await mqttjs.connectAsync(url, { reconnectPeriod: 0, protocolVersion: version });
  try {
    const replyTo = `hand/${Math.random().toString(36).slice(2)}`;
    await peer.subscribeAsync(replyTo);
    const reply = new Promise<Reply>((resolve) => {
      peer.on('message', (_topic, payload, packet) =>
        resolve({ payload: payload.toString(), properties: packet.properties }),
      );
    });
    publish(peer, replyTo);
    return await reply;
  } finally {
    peer.end(true);
  }
}

const hostile: [string, Record<string, string>, RegExp][] = [
  ['a CR LF in a value', { 'x-a': 'v\r\nx-injected: 1' }, /CR, LF or NUL/],
  ['a NUL in a value', { 'x-a': 'v\u0000w' }, /CR, LF or NUL/],
  ['a space in a name', { 'x a': 'v' }, /not a header field name/],
];

/** mosquitto itself refuses control characters in MQTT 5 strings, so only names get through it. */
const hostileNames = hostile.filter(([, fields]) => Object.keys(fields).some((name) => name.includes(' ')));

describe.runIf(requireMosquitto())('MQTT 5 header fields no protocol can carry (mosquitto)', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await startMosquitto();
    await server.listen(mqtt(`${broker.url}/svc5`));
  });
  afterAll(() => broker?.stop());

  it.each([...hostileNames, ['a colon in a name', { 'x:a': 'v' }, /not a header field name/] as const])(
    'answers user properties with %s `bad_request` on the response topic, unserved',
    async (_, fields, reason) => {
      const before = served;
      const reply = await callByHand(broker.url, 5, (peer, replyTo) =>
        peer.publish('svc5/GET/a', '', {
          qos: 1,
          properties: { responseTopic: replyTo, correlationData: Buffer.from('c1'), userProperties: fields },
        }),
      );
      expect(reply.properties?.correlationData?.toString()).toBe('c1');
      expect(reply.properties?.userProperties?.status).toBe('bad_request');
      expect(reply.payload).toMatch(reason);
      expect(served).toBe(before);
    },
  );

  it('fails a call whose reply holds such fields at once, not at its deadline', async () => {
    const liar = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0, protocolVersion: 5 });
    try {
      await liar.subscribeAsync('forged/#');
      liar.on('message', (_topic, _payload, packet) => {
        const properties = packet.properties;
        if (properties?.responseTopic === undefined || properties.correlationData === undefined) return;
        liar.publish(properties.responseTopic, 'x', {
          qos: 1,
          properties: {
            correlationData: properties.correlationData,
            userProperties: { status: 'ok', 'x a': 'v' },
          },
        });
      });
      await using client = createClient(mqtt(`${broker.url}/forged`), { timeoutMs: 10_000, retries: 0 });
      const started = Date.now();
      await expect(client.get('/a')).rejects.toMatchObject({
        status: 'internal',
        message: expect.stringMatching(/reply cannot be read.*not a header field name/),
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      liar.end(true);
    }
  });
});

describe('MQTT 3.1.1 envelopes with header fields no protocol can carry (embedded broker)', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  beforeAll(async () => {
    broker = await startBroker({ port: 0 });
    await server.listen(mqtt(`${broker.url}/svc4`));
  });
  afterAll(() => broker?.close());

  it.each(hostile)(
    'answers an envelope with %s `bad_request` with its id, unserved',
    async (_, fields, reason) => {
      const before = served;
      const reply = await callByHand(broker.url, 4, (peer, replyTo) => {
        const head = { parley: 1, id: 'e1', replyTo, headers: fields };
        peer.publish('svc4/GET/a', `${JSON.stringify(head)}\n`, { qos: 1 });
      });
      const newline = reply.payload.indexOf('\n');
      expect(JSON.parse(reply.payload.slice(0, newline))).toMatchObject({ id: 'e1', status: 'bad_request' });
      expect(reply.payload.slice(newline + 1)).toMatch(reason);
      expect(served).toBe(before);
    },
  );
});
