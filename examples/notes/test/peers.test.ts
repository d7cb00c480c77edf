import { afterEach, describe, expect, it } from 'vitest';
import { needs } from './helpers.js';

describe('the check for real peers', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  });

  it('runs the tests when every peer is installed', () => {
    expect(needs('sh')).toBe(true);
  });

  it('skips outside CI when a peer is missing', () => {
    delete process.env.CI;
    expect(needs('sh', 'parley-no-such-peer')).toBe(false);
  });

  it('fails under CI=true when a peer is missing', () => {
    process.env.CI = 'true';
    expect(() => needs('sh', 'parley-no-such-peer')).toThrow(
      'Missing required peer(s) under CI: parley-no-such-peer',
    );
  });
});
