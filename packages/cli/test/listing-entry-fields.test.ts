import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

let server: Awaited<ReturnType<typeof plainHttpServer>>;

beforeAll(async () => {
  // Entries whose size and modified fields are not what Parley's listings carry.
  server = await plainHttpServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify([
        { name: 'a.txt', type: 'file', size: { bytes: 5 }, modified: 1700000000 },
        { name: 'b', type: 'directory', size: '12', modified: ['2026'] },
        { name: 'c.txt', type: 'file', size: 3, modified: '2026-01-02T03:04:05.000Z' },
      ]),
    );
  });
});
afterAll(() => server.stop());

describe('parley LIST of a listing with fields of other types', () => {
  it('renders each entry, leaving out the fields it cannot show', async () => {
    const run = await parley([`${server.base}/folder/`]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `- ${''.padStart(10)} ${''.padEnd(24)} a.txt`,
      `d ${''.padStart(10)} ${''.padEnd(24)} b`,
      `- ${'3'.padStart(10)} ${'2026-01-02T03:04:05.000Z'.padEnd(24)} c.txt`,
      '',
    ]);
  });
});
