import { getEventListeners } from 'node:events';
import { AsyncQueue, createClient, createServer, memory } from '@parley/core';
import { describe, expect, it } from 'vitest';

describe('queues and subscriptions that share one long-lived signal', () => {
  it('leave no abort listener on it once they end', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) {
      const queue = new AsyncQueue<number>({ signal: controller.signal });
      queue.push(i);
      for await (const item of queue) {
        expect(item).toBe(i);
        break;
      }
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const live = new AsyncQueue<number>({ signal: controller.signal });
    controller.abort();
    expect(live.ended).toBe(true);
  });

  it('over a client: twenty subscriptions opened and left with one signal leave none', async () => {
    const server = createServer(async () => {
      throw new Error('no requests here');
    });
    const listener = await server.listen(memory('memory://queue-signal-listeners'));
    const client = createClient(memory(listener.url));
    const controller = new AbortController();
    try {
      for (let i = 0; i < 20; i++) {
        const events = client.subscribe('/notes/*', { signal: controller.signal });
        await server.publish('/notes/a', `change ${i}`);
        for await (const event of events) {
          expect(await event.body.text()).toBe(`change ${i}`);
          break;
        }
      }
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
