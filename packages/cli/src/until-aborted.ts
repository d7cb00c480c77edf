/**
 * `work`'s outcome, or a rejection with `signal`'s reason as soon as it aborts: for a call that
 * takes no signal of its own (an event's `publish`), so `--max-time` ends the command on time.
 * `work` is left to settle on its own (closing its client ends it); its failure then is dropped.
 *
 * @param work - the call's promise
 * @param signal - ends the wait
 * @returns What `work` gives, unless `signal` aborts first.
 *
 * @example
 * ```ts
 * await untilAborted(client.publish('/notes/a', 'x'), session.signal); // rejects at --max-time
 * ```
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const aborted = (): void => reject(signal.reason);
    if (signal.aborted) aborted();
    else signal.addEventListener('abort', aborted, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', aborted));
  });
}
