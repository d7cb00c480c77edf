import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RawServer } from '../../../test/support/raw-server.js';
import { runCli } from '../src/run.js';
import { publish, startEventBroker } from './event-broker.js';

vi.setConfig({ testTimeout: 120_000 });

/** How many events the broker publishes at once. */
const EVENTS = 20;

let broker: RawServer;
beforeAll(async () => {
  const events = Array.from({ length: EVENTS }, (_, i) => publish(`files/events/e${i}`, 'x'.repeat(1000)));
  broker = await startEventBroker('files', events);
});
afterAll(() => broker.close());

describe('parley subscribe with a reader slower than the events', () => {
  it('waits for stdout to drain instead of piling events up in it, and still ends on interrupt', async () => {
    const written: string[] = [];
    // A reader that never reads: its first write fills it, and it never drains.
    const stdout = new Writable({
      highWaterMark: 1,
      write: (chunk: Buffer) => written.push(chunk.toString()),
    });
    const stderr = new PassThrough();
    let trace = '';
    stderr.on('data', (chunk: Buffer) => (trace += chunk));
    const stop = new AbortController();
    const code = runCli(['-v', 'subscribe', `mqtt://127.0.0.1:${broker.port}/files`, '/*'], {
      stdout,
      stderr,
      signal: stop.signal,
    });
    // Every event has arrived once the client traced the last one.
    await vi.waitFor(() => expect(trace).toContain(`files/events/e${EVENTS - 1}`), { timeout: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    expect(await code).toBe(0);
    // What stdout holds: the first event's path alone, not every event's.
    expect(stdout.writableLength).toBe('/e0\t'.length);
  });
});
