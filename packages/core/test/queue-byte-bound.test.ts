import { Body, HeaderMap, type ParleyEvent } from '@parley/core';
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
});
