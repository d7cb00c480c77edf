import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../src/transport-kit.js';

/** A stream that records its cork and uncork calls. */
function recorder(name: string, log: string[]) {
  return { cork: () => log.push(`${name} cork`), uncork: () => log.push(`${name} uncork`) };
}

const checkPhase = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteBatch', () => {
  it('corks at the first write of a turn and uncorks in the check phase', async () => {
    const log: string[] = [];
    const batch = new WriteBatch();
    const socket = recorder('a', log);
    for (let i = 0; i < 100; i++) batch.add(socket);
    expect(log).toEqual(['a cork']);
    await checkPhase();
    expect(log).toEqual(['a cork', 'a uncork']);
    batch.add(socket);
    expect(log).toEqual(['a cork', 'a uncork', 'a cork']);
  });

  it('sends a full batch at once and starts the next one', async () => {
    const log: string[] = [];
    const batch = new WriteBatch(3);
    const socket = recorder('a', log);
    // Writes 1-3, 4-6 and 7 go out as three batches.
    for (let i = 0; i < 7; i++) batch.add(socket);
    expect(log).toEqual(['a cork', 'a uncork', 'a cork', 'a uncork', 'a cork']);
    await checkPhase();
    expect(log.at(-1)).toBe('a uncork');
  });

  it('sends the old batch first when writes move to another stream', async () => {
    const log: string[] = [];
    const batch = new WriteBatch();
    batch.add(recorder('old', log));
    batch.add(recorder('new', log));
    expect(log).toEqual(['old cork', 'old uncork', 'new cork']);
    await checkPhase();
    expect(log).toEqual(['old cork', 'old uncork', 'new cork', 'new uncork']);
  });

  it('flushes each batch when its schedule says, one schedule per batch begun', () => {
    const log: string[] = [];
    const flushes: (() => void)[] = [];
    const batch = new WriteBatch(Number.POSITIVE_INFINITY, (flush) => flushes.push(flush));
    const socket = recorder('a', log);
    batch.add(socket);
    batch.add(socket);
    expect(flushes).toHaveLength(1);
    expect(log).toEqual(['a cork']);
    flushes[0]?.();
    expect(log).toEqual(['a cork', 'a uncork']);
    batch.add(socket);
    expect(flushes).toHaveLength(2);
  });
});
