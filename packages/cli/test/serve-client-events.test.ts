import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient, type Transport } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, type Serving, serve } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-serve-events-'));
let serving: Serving;

beforeAll(async () => {
  buildParley();
  serving = await serve(dir);
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await serving?.stop();
  rmSync(dir, { recursive: true, force: true });
});

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
    ['WebSocket', () => ws(serving.urls.ws as string)],
    ['MQTT', () => mqtt(serving.urls.mqtt as string)],
  ] as [string, () => Transport][])('over %s', async (_name, transport) => {
    await using watcher = createClient(transport());
    await using publisher = createClient(transport());
    expect(await eventsSeen(watcher, publisher)).toEqual([]);
  });
});
