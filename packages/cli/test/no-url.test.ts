import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

describe('parley without a URL', () => {
  for (const args of [[], ['-v'], ['-o', 'out.txt', '-L']]) {
    it(`(${args.join(' ') || 'no arguments'}) is a usage error, exit 2, as curl`, async () => {
      const run = await parley(args);
      expect(run).toEqual({ code: 2, stdout: '', stderr: 'parley: Missing a URL\nTry parley --help\n' });
    });
  }

  it('--help and help still print the help, exit 0', async () => {
    for (const args of [['--help'], ['help'], ['-h']]) {
      const run = await parley(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage:/);
    }
  });
});
