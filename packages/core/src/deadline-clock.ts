import { timerDelay } from './kit/timer-delay.js';

/**
 * Shared timers for call deadlines. Every call has a deadline, but most calls end long before
 * it: one timer per call (made, then cleared, each time) costs more than a quick call over an
 * open connection. Here calls of the same duration queue in one list, in the order they expire,
 * behind one unref'd timer set for the first of them; a call that ends leaves the list, and the
 * timer, when it fires, expires what is due and is set again for the next one.
 */

/** What an {@link Expiry} is queued in. */
interface Queue {
  remove(expiry: Expiry): void;
}

/** One call's place in the queue of its duration: {@link expireIn} makes it, {@link cancelExpiry} ends it. */
export class Expiry {
  /** The previous and next expiries of the same duration, in expiry order. */
  prev: Expiry | undefined = undefined;
  next: Expiry | undefined = undefined;
  /** Whether it is still queued (neither expired nor cancelled). */
  queued = true;

  /** `at` is when it expires, in ms on the {@link now} scale. */
  constructor(
    readonly at: number,
    readonly onExpire: (target: unknown) => void,
    readonly target: unknown,
    readonly queue: Queue,
  ) {}
}

/** The queues, by duration in ms; a queue leaves once its timer finds it empty. */
const queues = new Map<number, ExpiryQueue>();

/** A monotonic time in ms (`performance.now()`, which timer fakes replace along with `setTimeout`). */
function now(): number {
  return performance.now();
}

/** The expiries of one duration, which therefore expire in the order they were made. */
class ExpiryQueue implements Queue {
  readonly #ms: number;
  #head: Expiry | undefined;
  #tail: Expiry | undefined;
  #timer: unknown;
  /** When the timer fires, on the {@link now} scale. */
  #firesAt = 0;
  /** The `setTimeout` and `clearTimeout` the timer was set with (timer fakes may replace them later). */
  #setWith: typeof setTimeout | undefined;
  #clearWith: typeof clearTimeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  add(onExpire: (target: unknown) => void, target: unknown): Expiry {
    const expiry = new Expiry(now() + this.#ms, onExpire, target, this);
    const tail = this.#tail;
    if (tail === undefined) this.#head = expiry;
    else {
      tail.next = expiry;
      expiry.prev = tail;
    }
    this.#tail = expiry;
    // A timer set through another setTimeout (fakes installed or removed since) is set again.
    if (this.#timer === undefined || this.#setWith !== setTimeout) this.#arm(expiry.at);
    return expiry;
  }

  remove(expiry: Expiry): void {
    expiry.queued = false;
    const { prev, next } = expiry;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    expiry.prev = undefined;
    expiry.next = undefined;
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) this.#clearWith?.(this.#timer as ReturnType<typeof setTimeout>);
    // A longer delay than a timer takes is set again when it fires.
    const delay = timerDelay(at - now());
    this.#firesAt = now() + delay;
    this.#setWith = setTimeout;
    this.#clearWith = clearTimeout;
    const timer = setTimeout(this.#fire, delay);
    (timer as { unref?: () => void }).unref?.();
    this.#timer = timer;
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    // The timer's own clock is the authority: what it was set for has arrived.
    const time = Math.max(now(), this.#firesAt);
    for (let head = this.#head; head !== undefined && head.at <= time; head = this.#head) {
      this.remove(head);
      head.onExpire(head.target);
    }
    const head = this.#head;
    if (head === undefined) {
      if (this.#timer === undefined && queues.get(this.#ms) === this) queues.delete(this.#ms);
    } else if (this.#timer === undefined) this.#arm(head.at);
  };
}

/**
 * Calls `onExpire(target)` in `ms` (from an unref'd timer shared by every expiry of that
 * duration), unless {@link cancelExpiry} comes first. A function shared by many expiries and
 * a target each cost no closure per expiry.
 *
 * @param ms - the delay, a finite number of ms
 * @param onExpire - called once, with `target`, when the delay has passed
 * @param target - what expires
 * @returns The expiry, to cancel it.
 */
export function expireIn<T>(ms: number, onExpire: (target: T) => void, target: T): Expiry {
  let queue = queues.get(ms);
  if (queue === undefined) {
    queue = new ExpiryQueue(ms);
    queues.set(ms, queue);
  }
  return queue.add(onExpire as (target: unknown) => void, target);
}

/** Cancels an expiry that has not yet expired (once it has, this does nothing). */
export function cancelExpiry(expiry: Expiry): void {
  if (expiry.queued) expiry.queue.remove(expiry);
}
