import { createClient, createRouter, createServer, ParleyError, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';

/** Strings MQTT 5 lets a broker close the connection for (mosquitto does), in header fields. */
const awkward: [string, string][] = [
  ['a tab', 'a\tb'],
  ['a C0 control', 'a\u0001b'],
  ['DEL', 'a\u007fb'],
  ['a C1 control', 'a\u0085b'],
  ['a BMP non-character', 'a\ufffeb'],
  ['a supplementary non-character', 'a\u{1fffe}b'],
];

const echo = createRouter()
  .get('/echo', async (request) => respond('ok', request.headers.get('x-v') ?? '(none)'))
  .get('/answer/:n', async (request) =>
    respond('ok', 'answered', { 'x-v': awkward[Number(request.params.n)]?.[1] ?? '' }),
  );

describe.runIf(requireMosquitto())(
  'header fields user properties cannot carry, over mosquitto (MQTT 5)',
  () => {
    let broker: Mosquitto;
    const server = createServer(echo);
    beforeAll(async () => {
      broker = await startMosquitto();
      await server.listen(mqtt(`${broker.url}/text`));
    });
    afterAll(async () => {
      await server.close({ timeoutMs: 1_000 });
      await broker?.stop();
    });

    it.each(awkward)('a request field with %s arrives as it was sent', async (_, value) => {
      await using client = createClient(mqtt(`${broker.url}/text`), { timeoutMs: 5_000, retries: 0 });
      const response = await client.get('/echo', { headers: { 'x-v': value } });
      expect(await response.body.text()).toBe(value);
      // The connection is still good for the next call.
      expect(await (await client.get('/echo', { headers: { 'x-v': 'plain' } })).body.text()).toBe('plain');
    });

    it.each(awkward.map(([what, value], n) => [what, value, n] as const))(
      'a reply field with %s arrives as the handler gave it',
      async (_, value, n) => {
        await using client = createClient(mqtt(`${broker.url}/text`), { timeoutMs: 5_000, retries: 0 });
        const response = await client.get(`/answer/${n}`);
        expect(response.headers.get('x-v')).toBe(value);
        expect(await (await client.get('/echo')).body.text()).toBe('(none)');
      },
    );

    it('a path with a non-character is refused before anything is sent, and the client goes on', async () => {
      await using client = createClient(mqtt(`${broker.url}/text`), { timeoutMs: 5_000, retries: 0 });
      const failure = await client.get('/a\uffff').catch((error: unknown) => ParleyError.from(error));
      expect(failure).toMatchObject({
        status: 'bad_request',
        message: expect.stringMatching(/non-characters/),
      });
      expect(await (await client.get('/echo')).body.text()).toBe('(none)');
    });

    it('an event with such a field is refused at publish, and the client goes on', async () => {
      await using client = createClient(mqtt(`${broker.url}/text`), { timeoutMs: 5_000, retries: 0 });
      const failure = await client
        .publish('/news', 'x', { headers: { 'x-v': 'a\tb' } })
        .catch((error: unknown) => ParleyError.from(error));
      expect(failure).toMatchObject({ status: 'bad_request' });
      expect(await (await client.get('/echo')).body.text()).toBe('(none)');
    });
  },
);

describe('the same fields over the embedded broker (MQTT 3.1.1 envelopes)', () => {
  let broker: Awaited<ReturnType<typeof startBroker>>;
  const server = createServer(echo);
  beforeAll(async () => {
    broker = await startBroker({ port: 0 });
    await server.listen(mqtt(`${broker.url}/text`));
  });
  afterAll(async () => {
    await server.close({ timeoutMs: 1_000 });
    await broker?.close();
  });

  it.each(awkward)('a request field with %s arrives as it was sent', async (_, value) => {
    await using client = createClient(mqtt(`${broker.url}/text`), { timeoutMs: 5_000, retries: 0 });
    expect(await (await client.get('/echo', { headers: { 'x-v': value } })).body.text()).toBe(value);
  });
});
