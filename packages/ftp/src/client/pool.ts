import { abortError, ParleyError } from '@parley/core';
import type { Client as BasicClient } from 'basic-ftp';

/** Opens and logs in one control connection; closes it when `signal` aborts first. */
export type OpenConnection = (signal: AbortSignal) => Promise<BasicClient>;

/** One connection taken from a {@link ConnectionPool}, to hand back exactly once. */
export interface Lease {
  /** The logged-in connection. */
  readonly ftp: BasicClient;
  /**
   * Hands the connection back: kept for the next request when `reusable` and still open,
   * closed otherwise. Calls after the first do nothing.
   */
  release(reusable: boolean): void;
}

interface Idle {
  readonly ftp: BasicClient;
  readonly timer: NodeJS.Timeout | undefined;
}

/**
 * A small pool of logged-in FTP control connections: opened lazily up to `size`, reused while
 * open, closed after `idleTimeoutMs` unused, and replaced when broken. Requests beyond `size`
 * wait for a connection to come back.
 */
export class ConnectionPool {
  readonly #open: OpenConnection;
  readonly #size: number;
  readonly #idleTimeoutMs: number;
  readonly #idle: Idle[] = [];
  readonly #busy = new Set<BasicClient>();
  readonly #waiters = new Set<() => void>();
  #opening = 0;
  #closed = false;
  /** Aborts the connections still being opened when the pool closes. */
  readonly #closing = new AbortController();

  constructor(open: OpenConnection, size: number, idleTimeoutMs: number) {
    this.#open = open;
    this.#size = size;
    this.#idleTimeoutMs = idleTimeoutMs;
  }

  /** Connections open or being opened. */
  get size(): number {
    return this.#idle.length + this.#busy.size + this.#opening;
  }

  /** Connections open and unused. */
  get idle(): number {
    return this.#idle.length;
  }

  /** Takes a connection: an idle one, a new one when below the size, or the next one released. */
  async acquire(signal: AbortSignal): Promise<Lease> {
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      if (this.#closed) throw closedError();
      const idle = this.#takeIdle();
      if (idle !== undefined) return this.#lease(idle);
      if (this.size < this.#size) return this.#lease(await this.#create(signal));
      await this.#change(signal);
    }
  }

  /** Closes every connection, idle or busy, and fails requests waiting for one. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#closing.abort(closedError());
    for (const idle of this.#idle.splice(0)) this.#closeIdle(idle);
    for (const ftp of this.#busy) ftp.close();
    this.#busy.clear();
    this.#wakeAll();
  }

  #takeIdle(): BasicClient | undefined {
    for (let idle = this.#idle.pop(); idle !== undefined; idle = this.#idle.pop()) {
      if (idle.timer !== undefined) clearTimeout(idle.timer);
      if (!idle.ftp.closed) return idle.ftp;
      idle.ftp.close();
    }
    return undefined;
  }

  /** Opens a connection, dropped when `signal` aborts or the pool closes first. */
  async #create(signal: AbortSignal): Promise<BasicClient> {
    this.#opening++;
    const attempt = new AbortController();
    const onAbort = (): void => attempt.abort(signal.reason);
    const onClose = (): void => attempt.abort(closedError());
    signal.addEventListener('abort', onAbort, { once: true });
    this.#closing.signal.addEventListener('abort', onClose, { once: true });
    try {
      return await this.#open(attempt.signal);
    } catch (error) {
      throw this.#closed ? closedError() : error;
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#closing.signal.removeEventListener('abort', onClose);
      this.#opening--;
      this.#wakeOne();
    }
  }

  #lease(ftp: BasicClient): Lease {
    if (this.#closed) {
      ftp.close();
      throw closedError();
    }
    this.#busy.add(ftp);
    let released = false;
    return {
      ftp,
      release: (reusable) => {
        if (released) return;
        released = true;
        this.#release(ftp, reusable);
      },
    };
  }

  #release(ftp: BasicClient, reusable: boolean): void {
    this.#busy.delete(ftp);
    if (!reusable || ftp.closed || this.#closed) {
      ftp.close();
    } else {
      const timer =
        this.#idleTimeoutMs > 0
          ? setTimeout(() => this.#expire(ftp), this.#idleTimeoutMs).unref()
          : undefined;
      this.#idle.push({ ftp, timer });
    }
    this.#wakeOne();
  }

  #expire(ftp: BasicClient): void {
    const index = this.#idle.findIndex((idle) => idle.ftp === ftp);
    if (index === -1) return;
    const [idle] = this.#idle.splice(index, 1);
    if (idle !== undefined) this.#closeIdle(idle);
  }

  #closeIdle(idle: Idle): void {
    if (idle.timer !== undefined) clearTimeout(idle.timer);
    idle.ftp.close();
  }

  /** Resolves when a connection comes back or a slot frees up; rejects when `signal` aborts. */
  #change(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(wake);
        reject(abortError(signal));
      };
      const wake = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #wakeOne(): void {
    const [first] = this.#waiters;
    if (first === undefined) return;
    this.#waiters.delete(first);
    first();
  }

  #wakeAll(): void {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }
}

function closedError(): ParleyError {
  return new ParleyError('unavailable', 'The FTP client is closed', { retryable: false });
}
