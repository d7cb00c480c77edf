import { Body, createClient, createRouter, createServer, respond, type Server } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { failure } from './fixtures/failure.js';
import { suiteBroker } from './fixtures/suite-broker.js';

/** A service with an echo, a big reply and a slow route that records what it saw. */
function service() {
  const seen: string[] = [];
  const aborted: string[] = [];
  const router = createRouter()
    .put('/echo/:name', async (request) => {
      seen.push(request.path);
      return respond('ok', await request.body.bytes());
    })
    .get('/big/:size', async (request) => respond('ok', Buffer.alloc(Number(request.params.size), 7)))
    .get('/slow/:ms', async (request) => {
      seen.push(request.path);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Number(request.params.ms));
        request.signal.addEventListener('abort', () => {
          aborted.push(request.path);
          clearTimeout(timer);
          resolve();
        });
      });
      return respond('ok', 'slow done');
    });
  return { router, seen, aborted };
}

describe.runIf(requireMosquitto())('limits over mosquitto with max_packet_size (MQTT 5 CONNACK)', () => {
  let broker: Mosquitto;
  let server: Server;
  const { router, seen } = service();

  beforeAll(async () => {
    broker = await startMosquitto(['max_packet_size 65536']);
    server = createServer(router);
    await server.listen(mqtt(`${broker.url}/limits`));
  });
  afterAll(async () => {
    await server?.close({ timeoutMs: 1000 });
    await broker?.stop();
  });

  it('refuses a request body over the broker maximum with too_large before publishing', async () => {
    await using client = createClient(mqtt(`${broker.url}/limits`), { retries: 0 });
    const error = await failure(client.put('/echo/huge', Buffer.alloc(70_000)));
    expect(error.status).toBe('too_large');
    expect(error.message).toMatch(/at most 65536 bytes/);
    const streamed = await failure(
      client.put(
        '/echo/streamed',
        Body.from(
          (async function* () {
            yield Buffer.alloc(70_000);
          })(),
        ),
      ),
    );
    expect(streamed.status).toBe('too_large');
    expect(seen).not.toContain('/echo/huge');
    const small = await client.put('/echo/small', Buffer.alloc(60_000, 1));
    expect((await small.body.bytes()).byteLength).toBe(60_000);
  });

  it('answers too_large when the reply would not fit', async () => {
    await using client = createClient(mqtt(`${broker.url}/limits`), { retries: 0 });
    const response = await client.get('/big/100000');
    expect(response.status).toBe('too_large');
    expect(await response.body.text()).toMatch(/65536/);
  });
});

describe('limits over the embedded broker (MQTT 3.1.1)', () => {
  const broker = suiteBroker();

  it('maxBodyBytes (and its old name maxPacketBytes) bounds bodies when the broker does not say', async () => {
    const { router } = service();
    await using server = createServer(router);
    await server.listen(mqtt(`${broker.url}/packet`));
    await using client = createClient(mqtt(`${broker.url}/packet`, { maxPacketBytes: 10_000 }), {
      retries: 0,
    });
    expect((await failure(client.put('/echo/x', Buffer.alloc(10_001)))).status).toBe('too_large');
    expect((await client.put('/echo/x', Buffer.alloc(9_000))).status).toBe('ok');
    await using renamed = createClient(mqtt(`${broker.url}/packet`, { maxBodyBytes: 10_000 }), {
      retries: 0,
    });
    expect((await failure(renamed.put('/echo/x', Buffer.alloc(10_001)))).status).toBe('too_large');
  });

  it('maxInFlight answers too_many_requests beyond the limit', async () => {
    const { router } = service();
    await using server = createServer(router);
    await server.listen(mqtt(`${broker.url}/busy`, { maxInFlight: 2 }));
    await using client = createClient(mqtt(`${broker.url}/busy`), { retries: 0 });
    const responses = await Promise.all(Array.from({ length: 6 }, () => client.get('/slow/300')));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 'ok')).toHaveLength(2);
    expect(statuses.filter((status) => status === 'too_many_requests')).toHaveLength(4);
  });

  it('maxInFlightBytes bounds the request bodies held at once, and frees them once answered', async () => {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const router = createRouter().put('/hold/:name', async (request) => {
      await gate;
      return respond('ok', String((await request.body.bytes()).byteLength));
    });
    await using server = createServer(router);
    await server.listen(mqtt(`${broker.url}/bytes`, { maxInFlightBytes: 100_000 }));
    await using client = createClient(mqtt(`${broker.url}/bytes`), { retries: 0 });
    const calls = Array.from({ length: 6 }, (_, index) =>
      client.put(`/hold/${index}`, Buffer.alloc(40_000, 1)),
    );
    // Two bodies (80 000 bytes) fit; the third would take the total over 100 000.
    const refused = await Promise.all(calls.slice(2));
    expect(refused.map((response) => response.status)).toEqual(Array(4).fill('too_many_requests'));
    expect(await refused[0]?.body.text()).toMatch(/maxInFlightBytes/);
    release();
    const held = await Promise.all(calls.slice(0, 2));
    expect(held.map((response) => response.status)).toEqual(['ok', 'ok']);
    // Answered requests free their bytes; a body larger than the whole budget is taken when alone.
    expect((await client.put('/hold/again', Buffer.alloc(90_000, 1))).status).toBe('ok');
    const alone = await client.put('/hold/alone', Buffer.alloc(150_000, 1));
    expect(await alone.body.text()).toBe('150000');
  });

  it('timeoutMs fails an unanswered request with a retryable timeout and aborts it on the server', async () => {
    const { router, aborted } = service();
    await using server = createServer(router);
    await server.listen(mqtt(`${broker.url}/expiry`));
    // 2 s, not less: a request reaching the server after its deadline is dropped unhandled (the
    // next test), which a loaded machine must not turn this one into.
    await using client = createClient(mqtt(`${broker.url}/expiry`, { timeoutMs: 2000 }), {
      retries: 0,
      timeoutMs: 20_000,
    });
    const error = await failure(client.get('/slow/60000'));
    expect(error.status).toBe('timeout');
    expect(error.retryable).toBe(true);
    await eventually(() => aborted.length > 0);
    expect(aborted).toEqual(['/slow/60000']);
  });

  it('does not handle a request whose envelope deadline has passed', async () => {
    const { router, seen } = service();
    await using server = createServer(router);
    await server.listen(mqtt(`${broker.url}/stale`));
    const raw = await mqttjs.connectAsync(broker.url, { protocolVersion: 4 });
    try {
      await raw.subscribeAsync('stale/reply/raw');
      const replies: string[] = [];
      raw.on('message', (_topic, payload) => replies.push(payload.toString()));
      const envelope = (id: string, deadline: number) =>
        `${JSON.stringify({ parley: 1, replyTo: 'stale/reply/raw', id, deadline })}\nbody`;
      await raw.publishAsync('stale/PUT/echo/expired', envelope('1', Date.now() - 1000), { qos: 1 });
      await raw.publishAsync('stale/PUT/echo/fresh', envelope('2', Date.now() + 5000), { qos: 1 });
      await eventually(() => replies.length > 0);
      expect(seen).toEqual(['/echo/fresh']);
      expect(replies).toEqual([`${JSON.stringify({ parley: 1, id: '2', status: 'ok' })}\nbody`]);
    } finally {
      await raw.endAsync();
    }
  });

  it('fails fast with a retryable unavailable when no broker listens', async () => {
    await using client = createClient(mqtt('mqtt://127.0.0.1:1/nobody', { connectTimeoutMs: 2000 }), {
      retries: 0,
    });
    const error = await failure(client.get('/x'));
    expect(error.status).toBe('unavailable');
    expect(error.retryable).toBe(true);
  });
});
