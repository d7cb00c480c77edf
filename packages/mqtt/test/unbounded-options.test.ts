import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { type MqttOptions, mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

/** Options that mean "no limit", or a wait longer than a timer counts (2^31 - 1 ms): none may break a call. */
const unbounded: MqttOptions[] = [
  { timeoutMs: Number.POSITIVE_INFINITY },
  { timeoutMs: 40 * 86_400_000 },
  { connectTimeoutMs: Number.POSITIVE_INFINITY },
  { connectTimeoutMs: 3e9 },
  { reconnectPeriodMs: Number.POSITIVE_INFINITY },
];

/** Calls a server on `url` once with each of {@link unbounded}; the answers, or the errors' text. */
async function callEach(url: string, prefix: string): Promise<string[]> {
  const server = createServer(createRouter().get('/a', async () => respond('ok', 'fine')));
  await server.listen(mqtt(`${url}/${prefix}`));
  const outcomes: string[] = [];
  try {
    for (const options of unbounded) {
      await using client = createClient(mqtt(`${url}/${prefix}`, options), { retries: 0, timeoutMs: 5_000 });
      outcomes.push(
        await client.get('/a').then(
          (response) => response.body.text(),
          (error: unknown) => `${JSON.stringify(options)}: ${ParleyError.from(error).message}`,
        ),
      );
    }
  } finally {
    await server.close({ timeoutMs: 1_000 });
  }
  return outcomes;
}

describe('MQTT options without a limit, or past what a timer counts', () => {
  describe('on the embedded broker (MQTT 3.1.1, the envelope)', () => {
    let broker: Awaited<ReturnType<typeof startBroker>> | undefined;
    afterAll(() => broker?.close());
    it('let every call through', async () => {
      broker = await startBroker({ port: 0 });
      expect(await callEach(broker.url, 'unbounded4')).toEqual(unbounded.map(() => 'fine'));
    });
  });

  describe.runIf(requireMosquitto())('on mosquitto (MQTT 5, Message Expiry Interval)', () => {
    let broker: Mosquitto | undefined;
    afterAll(() => broker?.stop());
    it('let every call through', async () => {
      broker = await startMosquitto();
      expect(await callEach(broker.url, 'unbounded5')).toEqual(unbounded.map(() => 'fine'));
    });
  });

  it('refuse a keep-alive CONNECT cannot carry (over 65 535 s) by its name, instead of a broker closing the connection', () => {
    expect(() => mqtt('mqtt://127.0.0.1:1/p', { keepaliveSeconds: 70_000 })).toThrow(
      /keepaliveSeconds must be at most 65535/,
    );
  });

  it.each([
    ['Infinity', Number.POSITIVE_INFINITY],
    ['3e9 ms', 3e9],
  ])(
    'startBroker with connectTimeoutMs %s keeps its clients, over TCP and WebSocket',
    async (_, connectTimeoutMs) => {
      const broker = await startBroker({ port: 0, wsPort: 0, connectTimeoutMs });
      try {
        for (const url of [broker.url, broker.wsUrl as string]) {
          const client = await mqttjs.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
          // A connect timer that fired at once would have closed it by now.
          await new Promise((resolve) => setTimeout(resolve, 50));
          await client.publishAsync('x/y', 'still here', { qos: 1 });
          await client.endAsync();
        }
      } finally {
        await broker.close();
      }
    },
  );
});
