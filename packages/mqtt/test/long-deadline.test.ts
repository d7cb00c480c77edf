import { createRouter, createServer, ParleyError, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs, { type IClientPublishOptions } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

const DAY_MS = 86_400_000;

/**
 * A server whose handler waits 50 ms (long enough for a timer set past its range, which Node.js
 * fires after 1 ms) and answers whether its signal aborted meanwhile; then one request per
 * message of `requests`, the answers read off the requester's reply topic. A timer set past its
 * range also makes Node.js warn (a `TimeoutOverflowWarning` on stderr, for each one), and one
 * re-armed each time it fires early would spin for as long as the request lasts: no such warning
 * may come.
 */
async function answersTo(
  url: string,
  version: 4 | 5,
  prefix: string,
  requests: { payload: string; options?: IClientPublishOptions }[],
): Promise<string[]> {
  const server = createServer(
    createRouter().get('/wait', async (request) => {
      const signal = request.signal;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return respond('ok', signal.aborted ? `aborted: ${ParleyError.from(signal.reason).status}` : 'waiting');
    }),
  );
  await server.listen(mqtt(`${url}/${prefix}`));
  const raw = await mqttjs.connectAsync(url, { protocolVersion: version, reconnectPeriod: 0 });
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    const answers: string[] = [];
    raw.on('message', (_topic, payload) => answers.push(payload.toString()));
    await raw.subscribeAsync(`${prefix}/reply/me`, { qos: 1 });
    for (const { payload, options } of requests)
      await raw.publishAsync(`${prefix}/GET/wait`, payload, { qos: 1, ...options });
    await expect.poll(() => answers.length, { timeout: 5_000 }).toBe(requests.length);
    expect(warnings.filter((name) => name === 'TimeoutOverflowWarning')).toEqual([]);
    return answers;
  } finally {
    process.off('warning', onWarning);
    await raw.endAsync();
    await server.close({ timeoutMs: 1_000 });
  }
}

describe('a request whose deadline is further than a timer can count (2^31 - 1 ms, about 24.8 days)', () => {
  describe('in an envelope (MQTT 3.1.1, the embedded broker)', () => {
    let broker: Awaited<ReturnType<typeof startBroker>> | undefined;
    afterAll(() => broker?.close());
    it('is neither aborted nor watched by a timer firing at once', async () => {
      broker = await startBroker({ port: 0 });
      const envelope = (deadline: number) =>
        `${JSON.stringify({ parley: 1, replyTo: 'long4/reply/me', id: 'a', deadline })}\n`;
      const answers = await answersTo(broker.url, 4, 'long4', [
        { payload: envelope(Date.now() + 30 * DAY_MS) },
        { payload: envelope(1e300) },
      ]);
      expect(answers.map((answer) => answer.slice(answer.indexOf('\n') + 1))).toEqual(['waiting', 'waiting']);
    });
  });

  describe.runIf(requireMosquitto())('as a Message Expiry Interval (MQTT 5, mosquitto)', () => {
    let broker: Mosquitto | undefined;
    afterAll(() => broker?.stop());
    it('is neither aborted nor watched by a timer firing at once', async () => {
      broker = await startMosquitto();
      const expiring = (seconds: number) => ({
        payload: '',
        options: {
          properties: {
            responseTopic: 'long5/reply/me',
            correlationData: Buffer.from('c'),
            messageExpiryInterval: seconds,
          },
        },
      });
      // 30 days, and the longest interval MQTT carries (about 136 years).
      const answers = await answersTo(broker.url, 5, 'long5', [expiring(30 * 86_400), expiring(2 ** 32 - 1)]);
      expect(answers).toEqual(['waiting', 'waiting']);
    });
  });
});
