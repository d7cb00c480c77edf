import { Readable } from 'node:stream';
import { Body, lendChunks } from '@parley/core';
import { describe, expect, it } from 'vitest';

/** A body whose source lends `chunks`, and calls `received` itself when `tells`. */
function lendingBody(chunks: number[], tells: boolean): Body {
  const memory = new Uint8Array(1);
  const source = Object.assign(Readable.from([]), {
    [lendChunks]: async (consume: (chunk: Uint8Array) => void, received?: () => void) => {
      for (const byte of chunks) {
        memory.fill(byte);
        consume(memory);
      }
      if (tells) {
        received?.();
        received?.();
      }
      await new Promise((resolve) => setImmediate(resolve));
    },
  });
  return Body.from(source);
}

describe('Body.lend with received', () => {
  it('calls received once, when the source says the last chunk was consumed', async () => {
    const events: string[] = [];
    const lent = lendingBody([1, 2], true).lend(
      (chunk) => events.push(`chunk ${chunk[0]}`),
      () => events.push('received'),
    );
    await lent;
    events.push('resolved');
    expect(events).toEqual(['chunk 1', 'chunk 2', 'received', 'resolved']);
  });

  it('calls received once before resolving when the source does not call it', async () => {
    const events: string[] = [];
    await lendingBody([3], false).lend(
      () => events.push('chunk'),
      () => events.push('received'),
    );
    events.push('resolved');
    expect(events).toEqual(['chunk', 'received', 'resolved']);
  });

  it('rejects with what received throws', async () => {
    const lent = lendingBody([4], false).lend(
      () => {},
      () => {
        throw new Error('no room');
      },
    );
    await expect(lent).rejects.toThrow('no room');
  });
});
