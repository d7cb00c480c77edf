import { createRouter, createServer, type ParleyError, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';
import { suiteBroker } from './fixtures/suite-broker.js';

/**
 * Request topics MQTT forbids (U+0000 in a topic name) or that no broker takes back (control
 * characters): the embedded broker (aedes) passes them on to subscribers all the same.
 */
const forbidden = [
  'topics/GET/a\u0000b',
  'topics/GET/a.txt\u0000',
  'topics/GET/a\u001b[2Jb',
  'topics/GET/a\tb',
];

describe('a request on a topic MQTT forbids, through the embedded broker', () => {
  const broker = suiteBroker();

  it('is refused, unserved, answered only on a reply topic it names, and the server goes on', async () => {
    let served = 0;
    const refused: { error: ParleyError; topic: string }[] = [];
    const server = createServer(
      createRouter().get('/*', async () => {
        served++;
        return respond('ok', 'fine');
      }),
    );
    await server.listen(
      mqtt(`${broker.url}/topics`, { onMessageError: (error, topic) => refused.push({ error, topic }) }),
    );
    const evil = await mqttjs.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    try {
      const replies: { topic: string; text: string }[] = [];
      evil.on('message', (topic, payload) => replies.push({ topic, text: payload.toString() }));
      await evil.subscribeAsync('topics/reply/#', { qos: 1 });
      // Plain requests (their reply would go to a topic made of the forbidden one).
      for (const topic of forbidden) await evil.publishAsync(topic, '', { qos: 1 });
      // One naming a reply topic of its own, in an envelope.
      const envelope = `${JSON.stringify({ parley: 1, replyTo: 'topics/reply/evil', id: 'e' })}\n`;
      await evil.publishAsync('topics/GET/x\u0000y', envelope, { qos: 1 });
      // Then a good one: the server still answers, after every refusal.
      await evil.publishAsync('topics/GET/a.txt', '', { qos: 1 });
      await expect.poll(() => replies.some(({ topic }) => topic === 'topics/reply/GET/a.txt')).toBe(true);
      expect(refused.map(({ topic }) => topic)).toEqual([...forbidden, 'topics/GET/x\u0000y']);
      for (const { error } of refused) expect(error.status).toBe('bad_request');
      expect(replies.map(({ topic }) => topic)).toEqual(['topics/reply/evil', 'topics/reply/GET/a.txt']);
      expect(replies[0]?.text).toMatch(/"status":"bad_request".*\n.*forbids in a topic name/);
      expect(served).toBe(1);
    } finally {
      await evil.endAsync();
      await server.close({ timeoutMs: 1_000 });
    }
  });
});
