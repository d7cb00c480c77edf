import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, readListing } from '@parley/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { folderService } from '../src/serve/folder.js';
import { Turns } from '../src/serve/turns.js';

/** How many folders are being read now, and the most at once. */
const reading = { now: 0, most: 0 };

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const opendir: typeof actual.opendir = async (...args) => {
    const dir = await actual.opendir(...args);
    reading.now++;
    reading.most = Math.max(reading.most, reading.now);
    const entries = dir[Symbol.asyncIterator].bind(dir);
    return Object.assign(dir, {
      async *[Symbol.asyncIterator]() {
        try {
          yield* entries();
        } finally {
          reading.now--;
        }
      },
    });
  };
  return { ...actual, opendir, default: { ...actual, opendir } };
});

const root = mkdtempSync(join(tmpdir(), 'parley-serve-listings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'many'));
for (let i = 0; i < 200; i++) writeFileSync(join(root, 'many', `${i}.txt`), '');

describe('parley serve reads a bounded number of folder listings at once', () => {
  it('twenty listings side by side read the folder two at a time, and each is whole', async () => {
    const serve = folderService(root, { maxConcurrentListings: 2 });
    const lists = Array.from({ length: 20 }, () =>
      serve(createRequest({ method: 'LIST', path: '/many/', headers: { accept: 'application/json' } })),
    );
    for (const response of await Promise.all(lists)) expect(await readListing(response)).toHaveLength(200);
    expect(reading.most).toBe(2);
    expect(reading.now).toBe(0);
  });
});

describe('Turns', () => {
  it('runs at most max at once, the others in the order they came', async () => {
    const turns = new Turns(1);
    const order: string[] = [];
    let finishFirst = () => {};
    const first = turns.run(
      () =>
        new Promise<void>((resolve) => {
          order.push('first');
          finishFirst = resolve;
        }),
    );
    const second = turns.run(async () => void order.push('second'));
    const third = turns.run(async () => void order.push('third'));
    await Promise.resolve();
    expect(order).toEqual(['first']);
    finishFirst();
    await Promise.all([first, second, third]);
    expect(order).toEqual(['first', 'second', 'third']);
  });

  it('a wait given up is cancelled and leaves its turn to the next', async () => {
    const turns = new Turns(1);
    let finishFirst = () => {};
    const first = turns.run(() => new Promise<void>((resolve) => (finishFirst = resolve)));
    const controller = new AbortController();
    const givenUp = turns.run(async () => 'never', controller.signal);
    const next = turns.run(async () => 'next');
    controller.abort();
    await expect(givenUp).rejects.toMatchObject({ status: 'cancelled' });
    finishFirst();
    await first;
    expect(await next).toBe('next');
  });

  it('a failed piece of work passes its turn on too', async () => {
    const turns = new Turns(1);
    await expect(turns.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await turns.run(async () => 'after')).toBe('after');
  });
});

describe('maxConcurrentListings', () => {
  it.each([0, -1, 1.5, Number.NaN])('refuses %s with bad_request (no listing would ever run)', (value) => {
    expect(() => folderService(root, { maxConcurrentListings: value })).toThrow(
      expect.objectContaining({ status: 'bad_request' }),
    );
  });
});
