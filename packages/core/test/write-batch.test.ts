import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../src/transport-kit.js';

/** A stream that records its writes, corks and uncorks. */
function recorder(name: string, log: string[]) {
  return {
    cork: () => log.push(`${name} cork`),
    uncork: () => log.push(`${name} uncork`),
    write: () => log.push(`${name} write`),
  };
}

const checkPhase = () => new Promise((resolve) => setImmediate(resolve));

/** Adds one write to the batch and makes it, as a transport does. */
function write(batch: WriteBatch, stream: ReturnType<typeof recorder>): void {
  batch.add(stream);
  stream.write();
}

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

  it('with firstAtOnce, sends the first write of a turn at once and holds the rest', async () => {
    const log: string[] = [];
    const batch = new WriteBatch({ firstAtOnce: true });
    const socket = recorder('a', log);
    write(batch, socket);
    expect(log).toEqual(['a write']);
    for (let i = 0; i < 100; i++) write(batch, socket);
    expect(log.slice(0, 3)).toEqual(['a write', 'a cork', 'a write']);
    expect(log.filter((entry) => entry === 'a cork')).toHaveLength(1);
    await checkPhase();
    expect(log.at(-1)).toBe('a uncork');
    // A new turn: its first write goes at once again.
    const before = log.length;
    write(batch, socket);
    expect(log.slice(before)).toEqual(['a write']);
  });

  it('with firstAtOnce, never corks for one write per turn', async () => {
    const log: string[] = [];
    const batch = new WriteBatch({ firstAtOnce: true });
    const socket = recorder('a', log);
    for (let turn = 0; turn < 3; turn++) {
      write(batch, socket);
      await checkPhase();
    }
    expect(log).toEqual(['a write', 'a write', 'a write']);
  });

  it('sends a full batch at once and starts the next one', async () => {
    const log: string[] = [];
    const batch = new WriteBatch({ maxWrites: 3 });
    const socket = recorder('a', log);
    // Writes 1-3, 4-6 and 7 go out as three batches.
    for (let i = 0; i < 7; i++) batch.add(socket);
    expect(log).toEqual(['a cork', 'a uncork', 'a cork', 'a uncork', 'a cork']);
    await checkPhase();
    expect(log.at(-1)).toBe('a uncork');

    // With firstAtOnce, write 1 goes alone, then 2-4, 5-7 and 8.
    const after: string[] = [];
    const bounded = new WriteBatch({ maxWrites: 3, firstAtOnce: true });
    const other = recorder('b', after);
    for (let i = 0; i < 8; i++) bounded.add(other);
    expect(after).toEqual(['b cork', 'b uncork', 'b cork', 'b uncork', 'b cork']);
    await checkPhase();
    expect(after.at(-1)).toBe('b uncork');
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
});
