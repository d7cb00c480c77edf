import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createClient, createRouter, createServer, respond, type Server } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { publishUntilAnswered, sleep, subscribe } from './fixtures/tools.js';

const run = promisify(execFile);
const enabled = requireMosquitto();

describe.runIf(enabled)('interop with mosquitto tools (MQTT 5)', () => {
  let broker: Mosquitto;
  let server: Server;
  const prefix = 'interop-notes';

  beforeAll(async () => {
    broker = await startMosquitto();
    const router = createRouter()
      .get('/notes/:name', async (request) =>
        respond('ok', `note ${request.params.name}`, { 'x-kind': 'note' }),
      )
      .put('/notes/:name', async (request) =>
        respond('created', `stored ${(await request.body.bytes()).byteLength}`),
      )
      .get('/whoami', async (request) => respond('ok', request.peer.principal?.name ?? 'anonymous'));
    server = createServer(router);
    await server.listen(mqtt(`${broker.url}/${prefix}`));
  });
  afterAll(async () => {
    await server?.close({ timeoutMs: 1000 });
    await broker?.stop();
  });

  const port = (): string => String(broker.port);

  /** Runs mosquitto_rr (MQTT 5): one request on `topic`, its reply awaited on `replyTopic` (5 s at most). */
  const request = (topic: string, replyTopic: string, message: string, ...more: string[]) =>
    run('mosquitto_rr', ['-p', port(), '-t', topic, '-e', replyTopic, '-m', message, '-W', '5', ...more]);

  /** Runs mosquitto_pub (MQTT 5): `message` on `topic`, with `properties` (`-D` arguments). */
  const publish = (topic: string, message: string, ...properties: string[]) =>
    run('mosquitto_pub', ['-p', port(), '-V', '5', '-t', topic, '-m', message, ...properties]);

  /** Starts mosquitto_sub (MQTT 5) for the first message on `topic` (10 s at most), printed as JSON. */
  const subscribeOnce = (topic: string) =>
    subscribe(['-p', port(), '-V', '5', '-t', topic, '-C', '1', '-W', '10', '-F', '%j']);

  it('mosquitto_rr calls a Parley server and gets the body back', async () => {
    const { stdout } = await request(`${prefix}/GET/notes/hello.txt`, `${prefix}/reply/rr-test`, '');
    expect(stdout.trim()).toBe('note hello.txt');
  });

  it('mosquitto_pub-style request properties (response-topic, correlation-data) get status and headers back', async () => {
    const { stdout } = await request(
      `${prefix}/PUT/notes/a.txt`,
      `${prefix}/reply/props-test`,
      'twelve bytes',
      ...['-D', 'PUBLISH', 'correlation-data', 'abc-1', '-F', '%j'],
    );
    const message = JSON.parse(stdout) as {
      payload: string;
      properties: { 'user-properties': Record<string, string>; 'correlation-data': string };
    };
    expect(message.payload).toBe('stored 12');
    expect(message.properties['correlation-data']).toBe('abc-1');
    expect(message.properties['user-properties']).toMatchObject({ status: 'created', 'reason-code': '0' });
  });

  it('answers a plain mosquitto_pub request on the reply topic mosquitto_sub listens to', async () => {
    const reply = `${prefix}/reply/pub-test`;
    const { output } = subscribeOnce(reply);
    const received = await publishUntilAnswered(output, () =>
      publish(
        `${prefix}/GET/notes/p.txt`,
        '',
        ...['-D', 'PUBLISH', 'response-topic', reply],
        ...['-D', 'PUBLISH', 'correlation-data', 'pub-1'],
      ),
    );
    const message = JSON.parse(received) as {
      payload: string;
      properties: { 'user-properties': Record<string, string> };
    };
    expect(message.payload).toBe('note p.txt');
    expect(message.properties['user-properties']).toMatchObject({ status: 'ok', 'x-kind': 'note' });
  });

  it('mosquitto_sub receives events a Parley server publishes, headers as user properties', async () => {
    const { output } = subscribeOnce(`${prefix}/events/notes/+`);
    const received = await publishUntilAnswered(output, () =>
      server.publish('/notes/b.txt', 'changed', { 'x-change': 'put' }),
    );
    const message = JSON.parse(received) as {
      topic: string;
      payload: string;
      properties: { 'user-properties': Record<string, string> };
    };
    expect(message.topic).toBe(`${prefix}/events/notes/b.txt`);
    expect(message.payload).toBe('changed');
    expect(message.properties['user-properties']).toEqual({ 'x-change': 'put' });
  });

  it('a Parley client receives events mosquitto_pub publishes', async () => {
    const client = createClient(mqtt(`${broker.url}/${prefix}`));
    const controller = new AbortController();
    try {
      const received = (async () => {
        for await (const event of client.subscribe('/notes/*', { signal: controller.signal })) {
          return { path: event.path, text: await event.body.text(), kind: event.headers.get('x-kind') };
        }
        return undefined;
      })();
      // Publish until the subscription is in place (bounded).
      let result: Awaited<typeof received> | undefined;
      for (let attempt = 0; attempt < 50 && result === undefined; attempt++) {
        await publish(
          `${prefix}/events/notes/c.txt`,
          'from mosquitto',
          ...['-D', 'PUBLISH', 'user-property', 'x-kind', 'external'],
        );
        result = await Promise.race([received, sleep(100).then(() => undefined)]);
      }
      expect(result).toEqual({ path: '/notes/c.txt', text: 'from mosquitto', kind: 'external' });
    } finally {
      controller.abort();
      await client.close();
    }
  });
});

describe.runIf(enabled)('interop with mosquitto tools on the embedded broker (MQTT 3.1.1)', () => {
  it('mosquitto_rr -V 311 calls a Parley server through aedes and gets the body on the plain reply topic', async () => {
    const broker = await startBroker({ port: 0 });
    const server = createServer(
      createRouter().get('/notes/:name', async (request) => respond('ok', `note ${request.params.name}`)),
    );
    try {
      await server.listen(mqtt(`${broker.url}/plain-notes`));
      const { stdout } = await run('mosquitto_rr', [
        ...['-V', '311', '-p', new URL(broker.url).port],
        ...['-t', 'plain-notes/GET/notes/hello.txt', '-e', 'plain-notes/reply/GET/notes/hello.txt'],
        ...['-m', '', '-W', '5'],
      ]);
      expect(stdout.trim()).toBe('note hello.txt');
    } finally {
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });
});
