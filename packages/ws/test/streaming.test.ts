import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/stream-both-ways.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('streaming bodies', () => {
  it('streams 256 MiB up and 256 MiB down on one connection with bounded memory', async () => {
    const size = 256 * 1024 * 1024;
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture, String(size)], {
      cwd: root,
      timeout: 120_000,
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      expected: { sha256: string; size: number };
      uploaded: { sha256: string; size: number };
      downloaded: { sha256: string; size: number };
      rssGrowth: number;
    };
    expect(result.expected.size).toBe(size);
    expect(result.uploaded).toEqual(result.expected);
    expect(result.downloaded).toEqual(result.expected);
    expect(result.rssGrowth).toBeLessThan(100 * 1024 * 1024);
  }, 150_000);
});
