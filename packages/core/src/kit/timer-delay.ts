/**
 * The longest delay `setTimeout` takes: 2^31 - 1 ms, about 24.8 days. Node.js fires a timer set
 * for longer (or for a delay that is not a finite number) after 1 ms.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The delay to set a timer for to wait `ms`: `ms` itself within the range a timer takes, else
 * {@link MAX_TIMER_MS} (the caller sets the timer again when it fires, until its moment came).
 * A negative delay is 0.
 *
 * @param ms - how long is left to wait, in ms (any number, `Infinity` included)
 * @returns A delay `setTimeout` honours.
 *
 * @example
 * ```ts
 * setTimeout(check, timerDelay(deadline - Date.now())); // check re-arms when it is early
 * ```
 */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}
