import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

/** Longer than an MQTT string carries (a two-byte length: 65 535 bytes). */
const LONG = 'a'.repeat(70_000);

describe.runIf(requireMosquitto())(
  'header fields longer than an MQTT 5 user property carries (mosquitto)',
  () => {
    let broker: Mosquitto;
    beforeAll(async () => {
      broker = await startMosquitto();
    });
    afterAll(() => broker?.stop());

    it('travel in the envelope both ways, and the connections stay up for the next calls', async () => {
      await using server = createServer(
        createRouter()
          .get('/long-reply', async () => respond('ok', 'body', { 'x-long': LONG }))
          .get('/echo', async (request) => respond('ok', `${request.headers.get('x-long')?.length ?? 0}`)),
      );
      await server.listen(mqtt(`${broker.url}/long-fields`));
      await using client = createClient(mqtt(`${broker.url}/long-fields`, { timeoutMs: 5_000 }), {
        retries: 0,
      });
      const reply = await client.get('/long-reply');
      expect(reply.headers.get('x-long')).toBe(LONG);
      expect(await reply.body.text()).toBe('body');
      expect(await (await client.get('/echo', { headers: { 'x-long': LONG } })).body.text()).toBe('70000');
      expect(await (await client.get('/echo')).body.text()).toBe('0');
    });

    it('are refused by name in an event, which has no envelope on MQTT 5', async () => {
      await using client = createClient(mqtt(`${broker.url}/long-fields`, { timeoutMs: 5_000 }), {
        retries: 0,
      });
      const error = await client.publish('/a', 'x', { headers: { 'x-long': LONG } }).then(
        () => undefined,
        (thrown: unknown) => ParleyError.from(thrown),
      );
      expect(error?.status).toBe('bad_request');
      expect(error?.message).toMatch(/more than 65 535 bytes/);
      await client.publish('/a', 'x', { headers: { 'x-short': 'fine' } });
    });
  },
);
