import { ParleyError } from '../error.js';

/**
 * What a numeric option holds: `count`, a whole number of 1 or more (connections, requests in
 * flight); `whole`, a whole number of 0 or more (retries, redirects); `amount`, any number of 0
 * or more (bytes, milliseconds). `Infinity` passes every kind unless `finite` is asked: it means
 * no limit.
 */
export type OptionKind = 'count' | 'whole' | 'amount';

const EXPECTED: Readonly<Record<OptionKind, string>> = {
  count: 'a whole number of 1 or more',
  whole: 'a whole number of 0 or more',
  amount: 'a number of 0 or more',
};

/**
 * Checks one numeric option, refusing what would quietly break a limit (`NaN` compares false
 * with everything, so `maxBodyBytes: NaN` would be no limit at all) with a `bad_request`
 * ParleyError that names the option.
 *
 * @param owner - who takes the option, for the message (`'HTTP'`, `'createClient'`)
 * @param name - the option's name
 * @param value - the value given
 * @param kind - what the option holds (see {@link OptionKind})
 * @param finite - refuse `Infinity` too (an option with no "no limit" meaning)
 * @returns The value, when it passes.
 *
 * @example
 * ```ts
 * checkNumber('HTTP', 'maxBodyBytes', Number('oops'), 'amount'); // throws: HTTP option maxBodyBytes must be a number of 0 or more, not NaN
 * ```
 */
export function checkNumber(
  owner: string,
  name: string,
  value: unknown,
  kind: OptionKind,
  finite = false,
): number {
  if (typeof value === 'number' && value >= (kind === 'count' ? 1 : 0)) {
    if (value === Number.POSITIVE_INFINITY) {
      if (!finite) return value;
    } else if (kind === 'amount' || Number.isInteger(value)) return value;
  }
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ParleyError('bad_request', `${owner} option ${name} must be ${EXPECTED[kind]}, not ${shown}`);
}

/**
 * Checks every numeric option of `options` named in `kinds` (see {@link checkNumber}), those
 * left `undefined` aside (their defaults apply).
 *
 * @param owner - who takes the options, for the message
 * @param options - the options given
 * @param kinds - the kind of each numeric option
 *
 * @example
 * ```ts
 * checkNumbers('WebSocket', options, { maxInFlight: 'count', idleTimeoutMs: 'amount' });
 * ```
 */
export function checkNumbers<T extends object>(
  owner: string,
  options: T,
  kinds: { readonly [K in keyof T]?: OptionKind },
): void {
  for (const name of Object.keys(kinds) as (keyof T & string)[]) {
    const value = options[name];
    if (value !== undefined) checkNumber(owner, name, value, kinds[name] as OptionKind);
  }
}
