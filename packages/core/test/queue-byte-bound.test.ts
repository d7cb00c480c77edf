import { Body, createClient, HeaderMap, memory, type ParleyEvent } from '@parley/core';
import { AsyncQueue, eventQueue, MAX_QUEUED_EVENT_BYTES } from '@parley/core/transport';
import { describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;

function event(n: number, bytes: number): ParleyEvent {
  return { path: `/e/${n}`, headers: new HeaderMap(), body: Body.from(new Uint8Array(bytes)) };
}

async function drain<T>(queue: AsyncQueue<T>): Promise<T[]> {
  queue.end();
  const items: T[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

describe('queues bounded in bytes', () => {
  it('drop the oldest items beyond maxBytes, and count what the reader took', async () => {
    const queue = new AsyncQueue<string>({ maxBytes: 10, sizeOf: (item) => item.length });
    for (const item of ['aaaa', 'bbbb', 'cccc']) queue.push(item);
    const reader = queue[Symbol.asyncIterator]();
    expect((await reader.next()).value).toBe('bbbb');
    // 'cccc' is left (4 bytes); with 'dddd', 'eeee' and 'ffff' only the last two fit in 10.
    for (const item of ['dddd', 'eeee', 'ffff']) queue.push(item);
    expect(await drain(queue)).toEqual(['eeee', 'ffff']);
  });

  it('always keep the newest item, even one larger than the bound', async () => {
    const queue = new AsyncQueue<string>({ maxBytes: 2, sizeOf: (item) => item.length });
    queue.push('small');
    queue.push('larger than the bound');
    expect(await drain(queue)).toEqual(['larger than the bound']);
  });

  it("hold at most MAX_QUEUED_EVENT_BYTES of a slow subscriber's events", async () => {
    const queue = eventQueue({});
    const count = MAX_QUEUED_EVENT_BYTES / MiB + 36;
    for (let n = 0; n < count; n++) queue.push(event(n, MiB));
    const held = await drain(queue);
    expect(held).toHaveLength(MAX_QUEUED_EVENT_BYTES / MiB);
    expect(held[0]?.path).toBe('/e/36');
    expect(held.at(-1)?.path).toBe(`/e/${count - 1}`);
  });

  it("take a subscriber's own limits, checked", async () => {
    const queue = eventQueue({ maxQueuedEvents: 3, maxQueuedBytes: 10 * MiB });
    for (let n = 0; n < 5; n++) queue.push(event(n, MiB));
    expect((await drain(queue)).map((item) => item.path)).toEqual(['/e/2', '/e/3', '/e/4']);
    const small = eventQueue({ maxQueuedBytes: 2 * MiB });
    for (let n = 0; n < 5; n++) small.push(event(n, MiB));
    expect(await drain(small)).toHaveLength(2);
    await using client = createClient(memory('memory://queue-limits'));
    expect(() => client.subscribe('/*', { maxQueuedBytes: Number.NaN })).toThrow(/maxQueuedBytes/);
    expect(() => client.subscribe('/*', { maxQueuedEvents: 0 })).toThrow(/maxQueuedEvents/);
  });
});
