import { describe, expect, it } from 'vitest';
import { batchWrites } from '../src/batch-writes.js';

/** A socket that records its cork and uncork calls. */
function recorder(log: string[]) {
  return { cork: () => log.push('cork'), uncork: () => log.push('uncork') };
}

/** Lets the microtasks queued so far run. */
const microtasks = () => Promise.resolve();

/** Lets the event loop reach its check phase. */
const checkPhase = () => new Promise((resolve) => setImmediate(resolve));

/** No other request in flight on the connection. */
const alone = () => false;

describe('batchWrites', () => {
  it('with other requests in flight, gathers the frames of the turn until its check phase', async () => {
    const log: string[] = [];
    let crowded = true;
    const beforeWrite = batchWrites(recorder(log), () => crowded);
    beforeWrite();
    await microtasks();
    beforeWrite();
    expect(log).toEqual(['cork']);
    await checkPhase();
    expect(log).toEqual(['cork', 'uncork']);
    // Once the connection has a single request again, its frames leave after the microtasks.
    crowded = false;
    beforeWrite();
    await microtasks();
    expect(log).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });

  it('sends a lone frame once the current microtasks have run, not in a later phase of the event loop', async () => {
    const log: string[] = [];
    const beforeWrite = batchWrites(recorder(log), alone);
    beforeWrite();
    expect(log).toEqual(['cork']);
    await microtasks();
    expect(log).toEqual(['cork', 'uncork']);
  });

  it('starts a new batch for the frames written after the last one went out', async () => {
    const log: string[] = [];
    const beforeWrite = batchWrites(recorder(log), alone);
    beforeWrite();
    await microtasks();
    beforeWrite();
    beforeWrite();
    expect(log).toEqual(['cork', 'uncork', 'cork']);
    await microtasks();
    expect(log).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });

  it('joins frames written by work queued before the first frame of the batch', async () => {
    const log: string[] = [];
    const beforeWrite = batchWrites(recorder(log), alone);
    const writers = [1, 2, 3].map(async () => {
      await microtasks();
      beforeWrite();
    });
    await Promise.all(writers);
    expect(log).toEqual(['cork', 'uncork']);
  });

  it('sends a full batch of 8 frames at once and starts the next one', async () => {
    const log: string[] = [];
    const beforeWrite = batchWrites(recorder(log), alone);
    for (let i = 0; i < 17; i++) beforeWrite();
    expect(log).toEqual(['cork', 'uncork', 'cork', 'uncork', 'cork']);
    await microtasks();
    expect(log.at(-1)).toBe('uncork');
  });

  it('sends a frame that is a whole request or response at once, without a batch, when none is open', async () => {
    const log: string[] = [];
    const beforeWrite = batchWrites(recorder(log), alone);
    beforeWrite(true);
    expect(log).toEqual([]);
    // A frame that is not whole opens a batch, and a whole frame written then joins it.
    beforeWrite();
    beforeWrite(true);
    expect(log).toEqual(['cork']);
    await microtasks();
    expect(log).toEqual(['cork', 'uncork']);
    beforeWrite(true);
    expect(log).toEqual(['cork', 'uncork']);
  });

  it('batches whole frames too while other requests are in flight', async () => {
    const log: string[] = [];
    const beforeWrite = batchWrites(recorder(log), () => true);
    beforeWrite(true);
    beforeWrite(true);
    expect(log).toEqual(['cork']);
    await checkPhase();
    expect(log).toEqual(['cork', 'uncork']);
  });
});
