/**
 * One `abort` listener per caller's AbortSignal, shared by every call in flight with it: a signal
 * handed to thousands of concurrent calls then carries one listener (no MaxListenersExceededWarning,
 * no listener per call on the caller's object).
 */

/** The calls waiting on one signal, and the one listener they share. */
interface Waiting {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const waiting = new WeakMap<AbortSignal, Waiting>();

/**
 * Calls `onAbort` once when `signal` aborts, unless the returned function is called first.
 *
 * @param signal - a caller's signal, not aborted yet
 * @param onAbort - what to do when it aborts
 * @returns A function that stops waiting (removing the shared listener once no call waits).
 */
export function onCallerAbort(signal: AbortSignal, onAbort: () => void): () => void {
  let entry = waiting.get(signal);
  if (entry === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      waiting.delete(signal);
      for (const callback of callbacks) callback();
    };
    entry = { callbacks, listener };
    waiting.set(signal, entry);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { callbacks, listener } = entry;
  callbacks.add(onAbort);
  return () => {
    if (!callbacks.delete(onAbort) || callbacks.size > 0 || waiting.get(signal) !== entry) return;
    waiting.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}
