import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/stream-both-ways.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

const MiB = 1024 * 1024;

describe('streaming bodies', () => {
  // About 15 s on an idle 2-core machine; the timeouts leave room for a loaded one.
  it('streams 1 GiB up and 1 GiB down on one connection, pausing readers, in bounded memory', async () => {
    const size = 1024 * MiB;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, String(size)], {
      cwd: root,
      timeout: 280_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      size: number;
      uploaded: { size: number; firstDifference: number; maxAhead: number };
      downloaded: { size: number; firstDifference: number; maxAhead: number };
      rssGrowth: number;
      heldGrowth: number;
    };
    expect(result.size).toBe(size);
    for (const received of [result.uploaded, result.downloaded]) {
      expect(received).toMatchObject({ size, firstDifference: -1 });
      // Backpressure in frames: a paused reader holds the sender back within one 1 MiB window.
      expect(received.maxAhead).toBeGreaterThan(0);
      expect(received.maxAhead).toBeLessThan(2 * MiB);
    }
    // Each stream holds one 1 MiB window and the socket's 1 MiB high-water mark; the rest is
    // garbage not yet collected. Bodies held in memory would grow by hundreds of MiB.
    expect(result.rssGrowth).toBeLessThan(96 * MiB);
    expect(result.heldGrowth).toBeLessThan(96 * MiB);
  }, 300_000);
});
