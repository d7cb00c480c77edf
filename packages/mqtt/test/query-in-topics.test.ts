import { createClient, createRouter, createServer, respond } from '@parley/core';
import { type Broker, mqtt, startBroker } from '@parley/mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestTopic } from '../src/topics.js';

describe('a query in a request topic', () => {
  it('holds no MQTT wildcard, whatever the query holds', () => {
    const query = new URLSearchParams({ q: 'a b+c#d/e', 'x y': '' }).toString();
    const topic = requestTopic('notes', 'GET', '/notes/a', query);
    expect(topic).not.toMatch(/[+#\0]/);
    expect(topic.startsWith('notes/GET/notes/a?')).toBe(true);
  });

  describe('over a broker', () => {
    let broker: Broker;
    const server = createServer(
      createRouter().get('/notes/:name', async (request) =>
        respond('ok', JSON.stringify([...request.query])),
      ),
    );
    beforeAll(async () => {
      broker = await startBroker({ port: 0 });
      await server.listen(mqtt(`${broker.url}/query-topics`));
    });
    afterAll(async () => {
      await server.close({ timeoutMs: 1_000 });
      await broker?.close();
    });

    it('carries spaces and plus signs in the query, and the connection stays up for the next call', async () => {
      await using client = createClient(mqtt(`${broker.url}/query-topics`, { timeoutMs: 2_000 }), {
        retries: 0,
        timeoutMs: 3_000,
      });
      const spaced = await client.get('/notes/a?x=%20y+z&p=1%2B1');
      expect(spaced.status).toBe('ok');
      expect(JSON.parse(await spaced.body.text())).toEqual([
        ['x', ' y z'],
        ['p', '1+1'],
      ]);
      const next = await client.get('/notes/b');
      expect(next.status).toBe('ok');
    });
  });
});
