/** Waits `ms` milliseconds, or less when `signal` aborts first; never rejects. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits until the event loop has polled for I/O once more: whatever the system had delivered to
 * any socket before this call has then been read and its events emitted.
 */
export async function nextPoll(): Promise<void> {
  // The rest of the current poll phase runs before the first check phase; the second waits out
  // one more poll.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
