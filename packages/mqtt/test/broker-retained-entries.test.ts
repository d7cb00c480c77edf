import { describe, expect, it } from 'vitest';
import { boundRetained, RETAINED_ENTRY_BYTES } from '../src/broker/retained-bound.js';

/** A persistence that only counts the retained messages it stores. */
function countingStore(): {
  storeRetained(packet: { topic: string; payload: Uint8Array }): Promise<void>;
  kept: Set<string>;
} {
  const kept = new Set<string>();
  return {
    kept,
    async storeRetained(packet) {
      if (packet.payload.length === 0) kept.delete(packet.topic);
      else kept.add(packet.topic);
    },
  };
}

describe('the bound on retained messages of the embedded broker', () => {
  it('counts what the broker holds for each message besides its bytes: tiny messages cannot add up to many times the bound', async () => {
    const store = countingStore();
    const maxBytes = 64 * 1024;
    boundRetained(store, { maxBytes, maxMessages: Number.POSITIVE_INFINITY });
    let refused = false;
    for (let i = 0; i < 20_000 && !refused; i++) {
      await store.storeRetained({ topic: `r/${i}`, payload: Uint8Array.of(0x61) }).catch(() => {
        refused = true;
      });
    }
    expect(refused).toBe(true);
    // Each message of a byte is counted as at least RETAINED_ENTRY_BYTES.
    expect(store.kept.size).toBeLessThanOrEqual(maxBytes / RETAINED_ENTRY_BYTES);
    expect(store.kept.size).toBeGreaterThan(maxBytes / RETAINED_ENTRY_BYTES / 2);
  });

  it('gives a cleared topic its room back, entry included', async () => {
    const store = countingStore();
    boundRetained(store, { maxBytes: 4 * RETAINED_ENTRY_BYTES, maxMessages: Number.POSITIVE_INFINITY });
    for (let i = 0; i < 3; i++) await store.storeRetained({ topic: `r/${i}`, payload: Uint8Array.of(1) });
    await expect(store.storeRetained({ topic: 'r/3', payload: Uint8Array.of(1) })).rejects.toThrow();
    await store.storeRetained({ topic: 'r/0', payload: new Uint8Array(0) });
    await store.storeRetained({ topic: 'r/3', payload: Uint8Array.of(1) });
    expect([...store.kept].sort()).toEqual(['r/1', 'r/2', 'r/3']);
  });

  it('keeps no more than maxMessages topics; a topic already kept may be replaced, a cleared one makes room', async () => {
    const store = countingStore();
    boundRetained(store, { maxBytes: 1024 * 1024, maxMessages: 2 });
    await store.storeRetained({ topic: 'r/0', payload: Uint8Array.of(1) });
    await store.storeRetained({ topic: 'r/1', payload: Uint8Array.of(1) });
    await expect(store.storeRetained({ topic: 'r/2', payload: Uint8Array.of(1) })).rejects.toThrow(
      'More than 2 retained messages',
    );
    await store.storeRetained({ topic: 'r/1', payload: Uint8Array.of(2) });
    await store.storeRetained({ topic: 'r/0', payload: new Uint8Array(0) });
    await store.storeRetained({ topic: 'r/2', payload: Uint8Array.of(1) });
    expect([...store.kept].sort()).toEqual(['r/1', 'r/2']);
  });
});
