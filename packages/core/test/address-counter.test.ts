import { AddressCounter, addressKey } from '@parley/core/transport';
import { describe, expect, it } from 'vitest';

describe('AddressCounter', () => {
  it('takes units up to each cap, refusing past them without taking anything', () => {
    const counter = new AddressCounter({ maxTotal: 10, maxPerAddress: 6 });
    const a = addressKey('10.0.0.1');
    const b = addressKey('10.0.0.2');
    expect(counter.take(a, 4)).toBeUndefined();
    expect(counter.take(a, 3)).toBe('per_address');
    expect(counter.take(a, 2)).toBeUndefined();
    expect(counter.take(b, 5)).toBe('total');
    expect(counter.total).toBe(6);
    expect(counter.heldBy(a)).toBe(6);
    expect(counter.heldBy(b)).toBe(0);
    expect(counter.take(b, 4)).toBeUndefined();
    expect(counter.total).toBe(10);
  });

  it('gives units back, forgetting an address that holds none', () => {
    const counter = new AddressCounter({ maxTotal: 10, maxPerAddress: 6 });
    const a = addressKey('2001:db8:0:1::5');
    counter.take(a, 6);
    expect(counter.take(addressKey('2001:db8:0:1::9'), 1)).toBe('per_address');
    counter.give(a, 2);
    expect(counter.heldBy(a)).toBe(4);
    counter.give(a, 4);
    expect(counter.heldBy(a)).toBe(0);
    expect(counter.total).toBe(0);
    expect(counter.take(a, 6)).toBeUndefined();
  });
});
