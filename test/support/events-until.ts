import type { Client } from '@parley/core';

/**
 * Subscribes `client` to `pattern` and collects each event as `<path> <body text>` until one on
 * `lastPath` arrives: the list it resolves with. Start it, let the subscription settle, then publish.
 */
export async function eventsUntil(client: Client, pattern: string, lastPath: string): Promise<string[]> {
  const controller = new AbortController();
  const received: string[] = [];
  for await (const event of client.subscribe(pattern, { signal: controller.signal })) {
    received.push(`${event.path} ${await event.body.text()}`);
    if (event.path === lastPath) controller.abort();
  }
  return received;
}
