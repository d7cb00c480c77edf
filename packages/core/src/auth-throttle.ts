import { addressKey } from './address-key.js';
import type { Authenticate } from './auth.js';
import { ParleyError } from './error.js';

/** Options of an {@link AuthThrottle}. All durations in ms. */
export interface AuthThrottleOptions {
  /** Failed attempts an address may make before it must wait. Default: 5. */
  readonly freeFailures?: number | undefined;
  /** The wait after the first failure past the free ones; it doubles with each further failure. Default: 1 000. */
  readonly baseDelayMs?: number | undefined;
  /** The longest wait. Default: 60 000. */
  readonly maxDelayMs?: number | undefined;
  /** How long an address's failures are remembered after its last one. Default: 900 000 (15 min). */
  readonly forgetAfterMs?: number | undefined;
  /** Addresses remembered at once; the oldest are forgotten first. Default: 10 000. */
  readonly maxAddresses?: number | undefined;
  /** The clock, for tests. Default: `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** The defaults of {@link AuthThrottleOptions}. */
export const AUTH_THROTTLE_DEFAULTS = {
  freeFailures: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  forgetAfterMs: 900_000,
  maxAddresses: 10_000,
} as const;

interface AddressRecord {
  failures: number;
  lastFailure: number;
  blockedUntil: number;
}

/**
 * Slows credential guessing down, per remote address, across every connection and every
 * protocol of a server: after `freeFailures` wrong credentials, an address must wait before its
 * next attempt (1 s, then 2 s, 4 s... up to `maxDelayMs`); attempts made while waiting are
 * refused without reaching the `authenticate` hook. A success clears the address's record.
 * IPv6 addresses count by their /64 prefix.
 *
 * The core {@link Server} throttles its `authenticate` hook with one of these by default, so
 * every transport's authentication shares it; transports answer a throttled attempt with their
 * protocol's own reply (HTTP 429 with `Retry-After`, FTP 421, SMTP 454, MQTT CONNACK refusal).
 *
 * @example
 * ```ts
 * const throttle = new AuthThrottle({ freeFailures: 3 });
 * const guarded = throttle.wrap(passwordTable({ alice: 'secret' }));
 * ```
 */
export class AuthThrottle {
  readonly #records = new Map<string, AddressRecord>();
  readonly #free: number;
  readonly #base: number;
  readonly #max: number;
  readonly #forget: number;
  readonly #maxAddresses: number;
  readonly #now: () => number;

  /**
   * Makes a throttle with its limits.
   *
   * @param options - how many failures are free and how the wait grows
   */
  constructor(options: AuthThrottleOptions = {}) {
    this.#free = options.freeFailures ?? AUTH_THROTTLE_DEFAULTS.freeFailures;
    this.#base = options.baseDelayMs ?? AUTH_THROTTLE_DEFAULTS.baseDelayMs;
    this.#max = options.maxDelayMs ?? AUTH_THROTTLE_DEFAULTS.maxDelayMs;
    this.#forget = options.forgetAfterMs ?? AUTH_THROTTLE_DEFAULTS.forgetAfterMs;
    this.#maxAddresses = options.maxAddresses ?? AUTH_THROTTLE_DEFAULTS.maxAddresses;
    this.#now = options.now ?? Date.now;
  }

  /** How long `address` must still wait before its next attempt, in ms (0: it may try now). */
  waitFor(address: string | undefined): number {
    const record = this.#current(addressKey(address));
    return record === undefined ? 0 : Math.max(0, record.blockedUntil - this.#now());
  }

  /** Records a failed attempt from `address`. */
  failed(address: string | undefined): void {
    const key = addressKey(address);
    const now = this.#now();
    const record = this.#current(key) ?? { failures: 0, lastFailure: now, blockedUntil: 0 };
    record.failures++;
    record.lastFailure = now;
    const over = record.failures - this.#free;
    if (over > 0) record.blockedUntil = now + Math.min(this.#max, this.#base * 2 ** Math.min(over - 1, 30));
    this.#records.delete(key);
    this.#records.set(key, record);
    this.#evictOldest();
  }

  /** Records a successful attempt from `address`: its failures are forgotten. */
  succeeded(address: string | undefined): void {
    this.#records.delete(addressKey(address));
  }

  /**
   * An {@link Authenticate} hook that asks this throttle first: a throttled address is refused
   * with a `too_many_requests` {@link ParleyError} carrying `retryAfterMs`, without calling
   * `authenticate`; refusals (`null`) count as failures, principals as successes.
   */
  wrap(authenticate: Authenticate): Authenticate {
    return async (credentials, peer) => {
      const wait = this.waitFor(peer.address);
      if (wait > 0) throw throttledError(wait);
      const principal = await authenticate(credentials, peer);
      if (principal === null) this.failed(peer.address);
      else this.succeeded(peer.address);
      return principal;
    };
  }

  #current(key: string): AddressRecord | undefined {
    const record = this.#records.get(key);
    if (record !== undefined && this.#now() - record.lastFailure > this.#forget) {
      this.#records.delete(key);
      return undefined;
    }
    return record;
  }

  #evictOldest(): void {
    for (const key of this.#records.keys()) {
      if (this.#records.size <= this.#maxAddresses) return;
      this.#records.delete(key);
    }
  }
}

/**
 * The error a throttled attempt fails with: `too_many_requests`, with the wait in `retryAfterMs`.
 *
 * @param waitMs - how long the address must wait before its next attempt, in ms
 * @returns The error.
 *
 * @example
 * ```ts
 * const server = createServer(router, {
 *   authenticate: async () => {
 *     throw throttledError(5_000); // HTTP answers 429 with `Retry-After: 5`
 *   },
 * });
 * ```
 */
export function throttledError(waitMs: number): ParleyError {
  const seconds = Math.ceil(waitMs / 1000);
  return new ParleyError('too_many_requests', `Too many failed logins; try again in ${seconds} s`, {
    retryable: true,
    retryAfterMs: waitMs,
  });
}
