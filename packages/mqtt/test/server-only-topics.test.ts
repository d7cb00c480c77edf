import { createClient, createRouter, createServer } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import mqttjs from 'mqtt';
import { describe, expect, it } from 'vitest';
import { eventsUntil } from '../../../test/support/events-until.js';
import { filterMatches } from '../src/broker/filter-match.js';

describe('server-only topics on the embedded broker (serverOnlyTopics)', () => {
  it("refuse a client's event in a server's name and close its connection; the server's own events pass", async () => {
    const broker = await startBroker({ port: 0, serverOnlyTopics: ['svc/events/#'] });
    // A server without an authenticate hook: known to the broker by its client id all the same.
    const server = createServer(createRouter());
    const eve = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      await server.listen(mqtt(`${broker.url}/svc`));
      await using watcher = createClient(mqtt(`${broker.url}/svc`));
      const done = eventsUntil(watcher, '/notes/*', '/notes/last');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const closed = new Promise<void>((resolve) => eve.once('close', () => resolve()));
      eve.publish('svc/events/notes/forged', 'forged');
      await closed;
      await server.publish('/notes/last', 'from the server');
      expect(await done).toEqual(['/notes/last from the server']);
    } finally {
      eve.end(true);
      await server.close({ timeoutMs: 1_000 });
      await broker.close();
    }
  });

  it('leave other topics open to every client', async () => {
    const broker = await startBroker({ port: 0, serverOnlyTopics: ['svc/events/#'] });
    const alice = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
    const bob = await mqttjs.connectAsync(broker.url, { reconnectPeriod: 0 });
    try {
      await bob.subscribeAsync('chat/#');
      const got = new Promise<string>((resolve) => bob.once('message', (topic) => resolve(topic)));
      await alice.publishAsync('chat/room', 'hello', { qos: 1 });
      expect(await got).toBe('chat/room');
    } finally {
      alice.end(true);
      bob.end(true);
      await broker.close();
    }
  });
});

describe('filterMatches', () => {
  it.each([
    ['svc/events/#', 'svc/events/notes/a', true],
    ['svc/events/#', 'svc/events', true],
    ['svc/events/#', 'svc/eventsx/a', false],
    ['svc/+/a', 'svc/events/a', true],
    ['svc/+/a', 'svc/events/b', false],
    ['svc/+', 'svc/events/a', false],
    ['#', '$SYS/x', false],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/c', false],
  ])('%s against %s is %s', (filter, topic, expected) => {
    expect(filterMatches(filter, topic)).toBe(expected);
  });
});
