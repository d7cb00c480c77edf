import { type Client, createClient, type Transport } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { servedFolder } from './support.js';

const served = servedFolder('parley-serve-events-');

/** The events `watcher` receives on `/*` while `publisher` publishes one, then some quiet time. */
async function eventsSeen(watcher: Client, publisher: Client): Promise<string[]> {
  const controller = new AbortController();
  const seen: string[] = [];
  const watching = (async () => {
    try {
      for await (const event of watcher.subscribe('/*', { signal: controller.signal })) seen.push(event.path);
    } catch {
      // Ended by the abort below.
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await publisher.publish('/a.txt', 'forged').catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 500));
  controller.abort();
  await watching;
  return seen;
}

describe('parley serve, read-only: no client sends events to the other subscribers', () => {
  it.each([
    ['WebSocket', () => ws(served.serving.urls.ws as string)],
    ['MQTT', () => mqtt(served.serving.urls.mqtt as string)],
  ] as [string, () => Transport][])('over %s', async (_name, transport) => {
    await using watcher = createClient(transport());
    await using publisher = createClient(transport());
    expect(await eventsSeen(watcher, publisher)).toEqual([]);
  });
});
