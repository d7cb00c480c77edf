import { Body } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { whenSettled } from '../src/body.js';

/** An async iterable source that records what was asked of it. */
function recordingSource(chunks: (Uint8Array | string)[], failAt = -1) {
  const log: string[] = [];
  let index = 0;
  const iterator: AsyncIterator<Uint8Array | string> = {
    next: async () => {
      log.push('next');
      if (index === failAt) throw new Error('source failed');
      const value = chunks[index++];
      return value === undefined ? { done: true, value: undefined } : { done: false, value };
    },
    return: async () => {
      log.push('return');
      return { done: true, value: undefined };
    },
  };
  return { log, source: { [Symbol.asyncIterator]: () => iterator } };
}

const text = (chunk: Uint8Array) => Buffer.from(chunk).toString();

describe('Body iteration', () => {
  it('hands out bytes, encodes text chunks and settles once at the end', async () => {
    const { log, source } = recordingSource([Buffer.from('a'), 'b', 'é']);
    const body = Body.from(source);
    let settled = 0;
    body[whenSettled](() => settled++);
    const read: string[] = [];
    for await (const chunk of body) {
      expect(chunk).toBeInstanceOf(Uint8Array);
      read.push(text(chunk));
    }
    expect(read).toEqual(['a', 'b', 'é']);
    expect(settled).toBe(1);
    expect(log).toEqual(['next', 'next', 'next', 'next']);
  });

  it('takes the body on the first read, not when the iterator is made', async () => {
    const body = Body.from(recordingSource(['x']).source);
    const iterator = body[Symbol.asyncIterator]();
    expect(body.used).toBe(false);
    expect(await iterator.next()).toEqual({ done: false, value: new TextEncoder().encode('x') });
    expect(body.used).toBe(true);
    const again = body[Symbol.asyncIterator]();
    await expect(again.next()).rejects.toThrow('already been read');
    expect(await again.next()).toEqual({ done: true, value: undefined });
  });

  it('returns the source and then settles when the reader stops early', async () => {
    const { log, source } = recordingSource(['a', 'b', 'c']);
    const body = Body.from(source);
    const seen: string[] = [];
    body[whenSettled](() => seen.push(`settled after ${log.at(-1)}`));
    for await (const chunk of body) {
      seen.push(text(chunk));
      break;
    }
    expect(seen).toEqual(['a', 'settled after return']);
    expect(log).toEqual(['next', 'return']);
  });

  it('rejects with the source failure, settles, then ends', async () => {
    const { log, source } = recordingSource(['a', 'b'], 1);
    const body = Body.from(source);
    let settled = 0;
    body[whenSettled](() => settled++);
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    await expect(iterator.next()).rejects.toThrow('source failed');
    expect(settled).toBe(1);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(await iterator.return?.()).toEqual({ done: true, value: undefined });
    expect(log).toEqual(['next', 'next']);
    expect(settled).toBe(1);
  });

  it('hands a buffered body out as one chunk, an empty one as none', async () => {
    const chunks: string[] = [];
    for await (const chunk of Body.from('hello')) chunks.push(text(chunk));
    for await (const chunk of Body.from('')) chunks.push(text(chunk));
    expect(chunks).toEqual(['hello']);
  });

  it('leaves a body untaken when returned before the first read', async () => {
    const { log, source } = recordingSource(['a']);
    const body = Body.from(source);
    await body[Symbol.asyncIterator]().return?.();
    expect(body.used).toBe(false);
    expect(log).toEqual([]);
    expect(await body.text()).toBe('a');
  });
});
