import { afterEach, describe, expect, it } from 'vitest';
import { hasPeer, requirePeer, requirePeers } from './support/peer.js';

describe('the check for real peers', () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
  });

  it('finds programs on PATH, and probes with arguments', () => {
    expect(hasPeer('sh')).toBe(true);
    expect(hasPeer('parley-no-such-peer')).toBe(false);
    expect(hasPeer('sh', ['-c', 'exit 0'])).toBe(true);
    expect(hasPeer('sh', ['-c', 'exit 3'])).toBe(false);
    expect(hasPeer('parley-no-such-peer', ['--version'])).toBe(false);
  });

  it('runs the tests when every peer is installed', () => {
    expect(requirePeers('sh')).toBe(true);
    expect(requirePeer('sh')).toBe(true);
  });

  it('skips outside CI when a peer is missing', () => {
    delete process.env.CI;
    expect(requirePeers('sh', 'parley-no-such-peer')).toBe(false);
    expect(requirePeer('a module', false)).toBe(false);
  });

  it('fails under CI=true when a peer is missing', () => {
    process.env.CI = 'true';
    expect(() => requirePeers('sh', 'parley-no-such-peer')).toThrow(
      'Missing required peer(s) under CI: parley-no-such-peer',
    );
    expect(() => requirePeer('a module', false)).toThrow('Missing required peer(s) under CI: a module');
  });
});
