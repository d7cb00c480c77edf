import { ParleyError } from '@parley/core';

/**
 * Checks a numeric option: a `count` is a positive integer, an `amount` (bytes, milliseconds)
 * a finite number of 0 or more. Anything else is a `bad_request` ParleyError naming the option.
 */
export function checkNumber(name: string, value: unknown, kind: 'count' | 'amount'): number {
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (kind === 'amount' ? value >= 0 : Number.isInteger(value) && value >= 1);
  if (valid) return value;
  const expected = kind === 'count' ? 'a positive integer' : 'a number of 0 or more';
  throw new ParleyError('bad_request', `SMTP option ${name} must be ${expected}, not ${String(value)}`);
}
