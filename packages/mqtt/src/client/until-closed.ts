/**
 * Settles as `work` does, or rejects with `closing`'s reason once it aborts: a wait on the broker
 * (a SUBACK that never comes) that closing the client ends.
 */
export function untilClosed<T>(work: Promise<T>, closing: AbortSignal): Promise<T> {
  if (closing.aborted) return Promise.reject(closing.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(closing.reason);
    closing.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        closing.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        closing.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
