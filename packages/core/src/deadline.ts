import { type Body, whenSettled } from './body.js';
import { onCallerAbort } from './caller-abort.js';
import { cancelExpiry, type Expiry, expireIn } from './deadline-clock.js';
import { abortError, ParleyError } from './error.js';
import { capturedResolvers, captureResolvers } from './kit/captured-resolvers.js';
import type { Request } from './request.js';
import type { Response } from './response.js';

/** Makes a call's failure what its caller gets (the client adds the transport's explanation). */
export type ExplainFailure = (failure: ParleyError, deadline: Deadline) => ParleyError;

/** Called once when a call fails at its deadline or by its caller's abort. */
export type AbortListener = (failure: ParleyError) => void;

/** What {@link watchAbort} uses of a deadline (of this copy of Parley or of another). */
interface Watchable {
  watch(listener: AbortListener): () => void;
}

/**
 * The request the core client is handing to its transport right now, and its deadline: set while
 * {@link Deadline.handOver} runs. One object shared by every copy of this module (the ESM and CJS
 * builds, each entry point's bundle), so a transport finds the deadline of a client loaded from
 * another entry point. (A registry of every call in flight would cost each call more than it
 * saves: its entries outlive young garbage collections.)
 */
const handing = sharedSlot();

function sharedSlot(): { request: Request | undefined; deadline: Watchable | undefined } {
  const global = globalThis as Record<symbol, ReturnType<typeof sharedSlot> | undefined>;
  const key = Symbol.for('parley.handing');
  const slot = global[key] ?? { request: undefined, deadline: undefined };
  global[key] = slot;
  return slot;
}

/**
 * A per-call deadline joined with the caller's AbortSignal. It fails on whichever comes first,
 * with a `timeout` or a `cancelled` ParleyError. It is cheap for a call that ends in time: its
 * clock is a timer shared with the calls of the same duration, and its {@link Deadline.signal}
 * is made only when something reads it ({@link Deadline.watch} and {@link watchAbort} learn of
 * the failure without one).
 *
 * @example
 * ```ts
 * const deadline = new Deadline(5_000, options.signal);
 * const reply = await deadline.race(connection.read());
 * ```
 */
export class Deadline {
  readonly #timeoutMs: number;
  #expiry: Expiry | undefined;
  /** Stops listening to the caller's signal (one listener shared by the calls with it). */
  #unlinkCaller: (() => void) | undefined;
  #controller: AbortController | undefined;
  #failure: ParleyError | undefined;
  #reject: ((error: ParleyError) => void) | undefined;
  /** The outcome of {@link Deadline.settle} while it is pending: its resolving functions and explainer. */
  #resolveOutcome: ((response: Response) => void) | undefined;
  #rejectOutcome: ((error: ParleyError) => void) | undefined;
  #explain: ExplainFailure | undefined;
  #listeners: AbortListener | AbortListener[] | undefined;
  /** Whether the caller's signal stays linked after the call, until its body is done with. */
  #lingering = false;

  /**
   * Starts the deadline's clock.
   *
   * @param timeoutMs - the time the call may take, in ms (none when not finite)
   * @param caller - the caller's signal, if any; aborting it fails the call with `cancelled`
   */
  constructor(timeoutMs: number, caller?: AbortSignal) {
    this.#timeoutMs = timeoutMs;
    if (caller !== undefined) {
      if (caller.aborted) this.#fail(cancelledError());
      else this.#unlinkCaller = onCallerAbort(caller, () => this.#fail(cancelledError()));
    }
    if (Number.isFinite(timeoutMs) && this.#failure === undefined)
      this.#expiry = expireIn(timeoutMs, Deadline.#expire, this);
  }

  /** Aborts at the deadline or when the caller aborts (made on first read). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#failure !== undefined) this.#controller.abort(this.#failure);
    }
    return this.#controller.signal;
  }

  /** The time the call may take, in ms (not finite: no limit). */
  get timeoutMs(): number {
    return this.#timeoutMs;
  }

  /** Why the call failed when the deadline passed or the caller aborted, else `undefined`. */
  get failure(): ParleyError | undefined {
    return this.#failure;
  }

  /** Settles as `work` does, or rejects as soon as the deadline passes or the caller aborts. */
  race<T>(work: Promise<T>): Promise<T> {
    if (this.#failure !== undefined) {
      work.catch(() => undefined);
      return Promise.reject(this.#failure);
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      work.then(resolve, reject);
    });
  }

  /**
   * The whole call from its caller's side: resolves with the response `work` resolves with, or
   * rejects as soon as the deadline passes or the caller aborts, or as `work` fails (with
   * {@link Deadline.error} of it, passed through `explain`). Either way the deadline is then
   * cleared, the caller's signal kept for the response body ({@link Deadline.keepFor}). One
   * promise and one reaction to `work`: what {@link Deadline.race} and an async function around
   * it do with three promises and an `await`.
   */
  settle(work: Promise<Response>, explain: ExplainFailure): Promise<Response> {
    const outcome = new Promise<Response>(captureResolvers);
    this.#resolveOutcome = capturedResolvers.resolve as (response: Response) => void;
    this.#rejectOutcome = capturedResolvers.reject;
    capturedResolvers.resolve = undefined;
    capturedResolvers.reject = undefined;
    this.#explain = explain;
    if (this.#failure !== undefined) {
      work.then(undefined, noop);
      this.#settleFailure(this.#failure);
      return outcome;
    }
    try {
      work.then(
        (response) => this.#settleResponse(response),
        (error: unknown) => this.#settleFailure(error),
      );
    } catch (error) {
      // `work` was no promise.
      this.#settleFailure(error);
    }
    return outcome;
  }

  #settleResponse(response: Response): void {
    const resolve = this.#resolveOutcome;
    if (resolve === undefined) return; // The deadline passed or the caller aborted first.
    try {
      // The caller's signal goes on cancelling the body until it is read.
      this.keepFor(response.body);
    } catch (error) {
      this.#settleFailure(error);
      return;
    }
    this.#resolveOutcome = undefined;
    this.#rejectOutcome = undefined;
    this.clear();
    resolve(response);
  }

  #settleFailure(thrown: unknown): void {
    const reject = this.#rejectOutcome;
    if (reject === undefined) return;
    this.#resolveOutcome = undefined;
    this.#rejectOutcome = undefined;
    this.#lingering = false;
    this.clear();
    const failure = this.error(thrown);
    let explained = failure;
    try {
      explained = (this.#explain as ExplainFailure)(failure, this);
    } catch {
      // An explanation that fails leaves the failure as it is.
    }
    reject(explained);
  }

  /** The error to throw for the call: its deadline or abort failure, else `fallback` as a ParleyError. */
  error(fallback: unknown): ParleyError {
    return this.#failure ?? ParleyError.from(fallback);
  }

  /**
   * Calls `listener` once with the failure when the deadline passes or the caller aborts (at
   * once when that already happened), unless {@link Deadline.clear} comes first. Cheaper than
   * listening to {@link Deadline.signal}: no signal is made.
   *
   * @returns A function that stops watching.
   */
  watch(listener: AbortListener): () => void {
    if (this.#failure !== undefined) {
      listener(this.#failure);
      return noop;
    }
    const listeners = this.#listeners;
    if (listeners === undefined) this.#listeners = listener;
    else if (typeof listeners === 'function') this.#listeners = [listeners, listener];
    else listeners.push(listener);
    return () => this.#unwatch(listener);
  }

  /**
   * Calls `send(request)`, the transport's part of the call. While it runs, up to its first
   * `await`, {@link watchAbort} finds this deadline from `request` and watches it without
   * making its signal.
   */
  handOver<T>(request: Request, send: (request: Request) => T): T {
    const { request: outerRequest, deadline: outerDeadline } = handing;
    handing.request = request;
    handing.deadline = this;
    try {
      return send(request);
    } finally {
      handing.request = outerRequest;
      handing.deadline = outerDeadline;
    }
  }

  /**
   * Keeps the caller's signal and the watchers past {@link Deadline.clear} until `body` is done
   * with: the call is answered, but aborting the caller's signal still cancels the body being
   * read (as `fetch` does). The time limit is not kept. Nothing is kept without a caller's signal.
   */
  keepFor(body: Body): void {
    if (this.#unlinkCaller === undefined || this.#failure !== undefined) return;
    this.#lingering = true;
    body[whenSettled](() => {
      this.#lingering = false;
      this.clear();
    });
  }

  /**
   * Stops the clock, forgets the caller's signal and the watchers: the call is over (the signal
   * and watchers only once the body given to {@link Deadline.keepFor} is done with).
   */
  clear(): void {
    if (this.#expiry !== undefined) cancelExpiry(this.#expiry);
    this.#expiry = undefined;
    if (this.#lingering) return;
    this.#unlinkCaller?.();
    this.#unlinkCaller = undefined;
    this.#listeners = undefined;
  }

  #unwatch(listener: AbortListener): void {
    const listeners = this.#listeners;
    if (listeners === listener) this.#listeners = undefined;
    else if (Array.isArray(listeners)) {
      const index = listeners.indexOf(listener);
      if (index !== -1) listeners.splice(index, 1);
    }
  }

  #fail(error: ParleyError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#controller?.abort(error);
    this.#reject?.(error);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (typeof listeners === 'function') notify(listeners, error);
    else if (listeners !== undefined) for (const listener of listeners) notify(listener, error);
    this.#settleFailure(error);
  }

  /** Fails a deadline whose time has run out (one function for every deadline: no closure each). */
  static #expire(deadline: Deadline): void {
    deadline.#fail(deadline.#timeoutError());
  }

  #timeoutError(): ParleyError {
    return new ParleyError('timeout', `No answer within ${this.#timeoutMs} ms`, { retryable: false });
  }
}

/**
 * Calls `listener` once with a ParleyError when `request` is aborted: its call failed at its
 * deadline or its caller gave up (at once when that already happened). Called by a connector's
 * `send` before its first `await`, for a request of the core client, it watches the call's
 * {@link Deadline} and makes no AbortSignal; otherwise it listens to the request's signal.
 * Transports use it to tell their peer a call is abandoned.
 *
 * @param request - the request a transport is sending
 * @param listener - called at most once, with a `timeout` or `cancelled` ParleyError (or the
 *   ParleyError the signal was aborted with)
 * @returns A function that stops watching (call it once the call is over).
 *
 * @example
 * ```ts
 * const stop = watchAbort(request, () => socket.send(cancelFrame(id)));
 * try { return await exchange(request); } finally { stop(); }
 * ```
 */
export function watchAbort(request: Request, listener: AbortListener): () => void {
  if (request === handing.request && handing.deadline !== undefined) return handing.deadline.watch(listener);
  const signal = request.signal;
  if (signal.aborted) {
    listener(abortError(signal));
    return noop;
  }
  const onAbort = (): void => listener(abortError(signal));
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function cancelledError(): ParleyError {
  return new ParleyError('cancelled', 'The call was aborted');
}

/** Calls a watcher; what it throws is reported as uncaught, as an event listener's would be. */
function notify(listener: AbortListener, error: ParleyError): void {
  try {
    listener(error);
  } catch (thrown) {
    queueMicrotask(() => {
      throw thrown;
    });
  }
}

function noop(): void {}
