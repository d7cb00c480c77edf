import { createClient, createRouter, createServer, memory, passwordTable, respond } from '@parley/core';
import { AuthThrottle, addressKey, ConnectionGate } from '@parley/core/transport';
import { describe, expect, it } from 'vitest';

function clock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

describe('AuthThrottle', () => {
  const peer = (address: string) => ({ protocol: 'test', address });
  const hook = passwordTable({ alice: 'secret' });
  const wrong = { kind: 'password', username: 'alice', password: 'guess' } as const;
  const right = { kind: 'password', username: 'alice', password: 'secret' } as const;

  it('lets the free failures through, then makes the address wait, doubling', async () => {
    const time = clock();
    const throttle = new AuthThrottle({ freeFailures: 3, baseDelayMs: 1000, now: time.now });
    const guarded = throttle.wrap(hook);
    for (let i = 0; i < 3; i++) expect(await guarded(wrong, peer('10.0.0.1'))).toBeNull();
    expect(throttle.waitFor('10.0.0.1')).toBe(0);
    expect(await guarded(wrong, peer('10.0.0.1'))).toBeNull(); // 4th failure: 1 s wait
    await expect(guarded(right, peer('10.0.0.1'))).rejects.toMatchObject({
      status: 'too_many_requests',
      retryAfterMs: 1000,
    });
    time.advance(1000);
    expect(await guarded(wrong, peer('10.0.0.1'))).toBeNull(); // 5th: 2 s
    expect(throttle.waitFor('10.0.0.1')).toBe(2000);
    expect(throttle.waitFor('10.0.0.2')).toBe(0);
  });

  it('never calls the hook while an address waits, and a success clears the record', async () => {
    const time = clock();
    let calls = 0;
    const throttle = new AuthThrottle({ freeFailures: 1, now: time.now });
    const guarded = throttle.wrap((credentials, p) => {
      calls++;
      return hook(credentials, p);
    });
    await guarded(wrong, peer('10.0.0.1'));
    await guarded(wrong, peer('10.0.0.1'));
    for (let i = 0; i < 100; i++) await expect(guarded(wrong, peer('10.0.0.1'))).rejects.toThrow(/try again/);
    expect(calls).toBe(2);
    time.advance(60_000);
    expect(await guarded(right, peer('10.0.0.1'))).toEqual({ name: 'alice' });
    expect(throttle.waitFor('10.0.0.1')).toBe(0);
  });

  it('caps the wait, forgets old failures and bounds the addresses it remembers', () => {
    const time = clock();
    const throttle = new AuthThrottle({
      freeFailures: 0,
      maxDelayMs: 5000,
      forgetAfterMs: 10_000,
      maxAddresses: 2,
      now: time.now,
    });
    for (let i = 0; i < 50; i++) throttle.failed('10.0.0.1');
    expect(throttle.waitFor('10.0.0.1')).toBe(5000);
    time.advance(10_001);
    expect(throttle.waitFor('10.0.0.1')).toBe(0);
    throttle.failed('10.0.0.2');
    throttle.failed('10.0.0.3');
    throttle.failed('10.0.0.4');
    expect(throttle.waitFor('10.0.0.2')).toBe(0);
    expect(throttle.waitFor('10.0.0.4')).toBeGreaterThan(0);
  });

  it('is on by default in the server, shared by every listener', async () => {
    const server = createServer(
      createRouter().get('/x', async () => respond('ok', 'x')),
      {
        authenticate: passwordTable({ alice: 'secret' }),
        authThrottle: { freeFailures: 2 },
      },
    );
    await server.listen(memory('memory://throttled'));
    const guess = createClient(memory('memory://alice:nope@throttled'), { retries: 0 });
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await guess.get('/x')).status);
    expect(statuses.slice(0, 2)).toEqual(['unauthenticated', 'unauthenticated']);
    expect(statuses.slice(3)).toEqual(['too_many_requests', 'too_many_requests']);
    await server.close();
  });
});

describe('addressKey', () => {
  it('counts IPv4-mapped addresses as IPv4 and IPv6 by /64', () => {
    expect(addressKey('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(addressKey('2001:db8:0:1::5')).toBe(addressKey('2001:db8:0:1:ffff::9'));
    expect(addressKey('2001:db8:0:1::5')).not.toBe(addressKey('2001:db8:0:2::5'));
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('ConnectionGate', () => {
  it('refuses past the per-address and total caps and frees on release', () => {
    const gate = new ConnectionGate({ maxConnections: 3, maxConnectionsPerAddress: 2 });
    const a1 = gate.admit('10.0.0.1');
    const a2 = gate.admit('10.0.0.1');
    expect(gate.admit('10.0.0.1')).toBe('per_address');
    const b1 = gate.admit('10.0.0.2');
    expect(gate.admit('10.0.0.3')).toBe('total');
    if (typeof a1 !== 'function' || typeof a2 !== 'function' || typeof b1 !== 'function')
      throw new Error('refused');
    a1();
    a1();
    expect(gate.open).toBe(2);
    expect(gate.openFrom('10.0.0.1')).toBe(1);
    expect(typeof gate.admit('10.0.0.1')).toBe('function');
  });
});
