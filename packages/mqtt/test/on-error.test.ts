import { Readable } from 'node:stream';
import { Body, createClient, createServer, type ParleyError, respond } from '@parley/core';
import { MQTT_CONTRACT, MQTT_STATUS_MAP, mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it, vi } from 'vitest';

describe('MQTT_STATUS_MAP', () => {
  it('round-trips every status of the contract, and reads a plain reason code', () => {
    for (const status of MQTT_CONTRACT.statuses)
      expect(MQTT_STATUS_MAP.fromWire(MQTT_STATUS_MAP.toWire(status)), status).toBe(status);
    expect(MQTT_STATUS_MAP.toWire('not_found')).toEqual({ status: 'not_found', reasonCode: '144' });
    expect(MQTT_STATUS_MAP.fromWire({ status: undefined, reasonCode: '135' })).toBe('forbidden');
    expect(MQTT_STATUS_MAP.fromWire({ status: undefined, reasonCode: undefined })).toBe('ok');
  });
});

describe('failures MQTT cannot handle as requests', () => {
  it("reports a malformed envelope to the server's onError when onMessageError is not set", async () => {
    const broker = await startBroker({ port: 0 });
    const reported: { error: ParleyError; context: string | undefined }[] = [];
    const server = createServer(async () => respond('ok'), {
      onError: (error, _request, context) => reported.push({ error, context }),
    });
    const raw = await mqttjs.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    try {
      await server.listen(mqtt(`${broker.url}/on-error`));
      const envelope = '{"parley":1,"replyTo":"x","deadline":"tomorrow"}\nbody';
      await raw.publishAsync('on-error/PUT/notes/bad.txt', envelope, { qos: 1 });
      await expect.poll(() => reported.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(reported[0]?.error.status).toBe('bad_request');
      expect(reported[0]?.context).toMatch(/on-error\/PUT\/notes\/bad\.txt/);
    } finally {
      await raw.endAsync();
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });

  it('logs each malformed message as one printable line, without a stack, by default', async () => {
    const broker = await startBroker({ port: 0 });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const server = createServer(async () => respond('ok'));
    const raw = await mqttjs.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    try {
      await server.listen(mqtt(`${broker.url}/on-error`));
      // A malformed envelope (its JSON parser's error has a stack too), and a topic with an escape sequence.
      await raw.publishAsync('on-error/PUT/b', '{"parley":1,"replyTo":"x",,}\n', { qos: 1 });
      await raw.publishAsync('on-error/PUT/a\u001b[2J', '', { qos: 1 });
      await expect.poll(() => logged.mock.calls.length, { timeout: 10_000 }).toBe(2);
      for (const call of logged.mock.calls) {
        expect(call).toHaveLength(1);
        expect(String(call[0])).toMatch(
          /^Parley: MQTT: refusing a message on on-error\/PUT\/(b|a\\x1b\[2J): bad_request: /,
        );
        expect(String(call[0])).not.toContain('\n');
        expect(String(call[0])).not.toContain('\u001b');
      }
    } finally {
      logged.mockRestore();
      await raw.endAsync();
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });

  it("reports a response body that fails to the server's onError, and answers internal without its text", async () => {
    const broker = await startBroker({ port: 0 });
    const reported: { error: ParleyError; context: string | undefined }[] = [];
    const failing = async function* () {
      yield Buffer.from('the first part');
      throw new Error("EIO: i/o error, read '/srv/private/notes/a.txt'");
    };
    const server = createServer(async () => respond('ok', Body.from(Readable.from(failing()))), {
      onError: (error, _request, context) => reported.push({ error, context }),
    });
    const client = createClient(mqtt(`${broker.url}/on-error`), { retries: 0 });
    try {
      await server.listen(mqtt(`${broker.url}/on-error`));
      const response = await client.get('/notes/a.txt');
      expect(response.status).toBe('internal');
      expect(await response.body.text()).toBe('Internal error');
      expect(reported).toHaveLength(1);
      expect(reported[0]?.error.message).toMatch(/\/srv\/private/);
      expect(reported[0]?.context).toMatch(/^MQTT: answering on /);
    } finally {
      await client.close();
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  });
});
