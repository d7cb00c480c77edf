/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** How long to keep polling, in ms. Default: 10 000 (generous: machines under load are slow). */
  timeoutMs?: number;
  /** The pause between two checks, in ms. Default: 10. */
  intervalMs?: number;
  /** What is waited for, named in the error. Default: "the condition". */
  what?: string;
}

/**
 * Polls `check` until it returns a truthy value (or a promise of one), which it returns; fails
 * when `timeoutMs` passes first. For conditions reached asynchronously, never for timing.
 * A number as second argument is the timeout.
 *
 * @example
 * ```ts
 * await eventually(() => received.length === 3);
 * const line = await eventually(() => log.find((l) => l.includes('PUT')), { what: 'a PUT log line' });
 * ```
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: EventuallyOptions | number = {},
): Promise<NonNullable<T>> {
  const {
    timeoutMs = 10_000,
    intervalMs = 10,
    what = 'the condition',
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
