import { AsyncQueue, ParleyError, type Peer, type Status } from '@parley/core';
import { addressKey } from '@parley/core/transport';

/** What happened to a note. */
export interface NoteChange {
  /** `created`, `updated` (replaced or appended to) or `deleted`. */
  readonly type: 'created' | 'updated' | 'deleted';
  /** The note's name. */
  readonly name: string;
  /** Its size in bytes after the change (0 once deleted). */
  readonly size: number;
  /** The protocol the change arrived over: `http`, `ws`, `ftp`, `smtp`, `mqtt`... */
  readonly protocol: string;
  /**
   * Who sent it: the remote address (an MQTT requester's client id), after the user name and an
   * `@` when logged in (`demo@127.0.0.1`); `unknown` when the protocol names none.
   */
  readonly peer: string;
  /** The status the request was answered with: `created`, `ok` or `no_content`. */
  readonly status: Status;
  /** When it happened, as ISO 8601. */
  readonly at: string;
}

/** How {@link NoteChange.peer} names a request's sender. */
export function peerName(peer: Peer): string {
  const address = peer.address ?? 'unknown';
  return peer.principal === undefined ? address : `${peer.principal.name}@${address}`;
}

/** Options of {@link ChangeFeed}. */
export interface ChangeFeedOptions {
  /** The most readers at once; more are refused with `too_many_requests`. Default: 100. */
  readonly maxReaders?: number;
  /** The most changes held for a slow reader; older ones are dropped. Default: 100. */
  readonly maxQueued?: number;
  /**
   * The most readers from one remote address (an IPv6 /64 counts as one), so that one client
   * cannot take every reader and lock the live page for the others. Default: 16.
   */
  readonly maxReadersPerAddress?: number;
}

/**
 * Fans changes of the store out to in-process readers (the live page's event streams). Bounded:
 * a limited number of readers, each with a limited queue.
 */
export class ChangeFeed {
  readonly #readers = new Set<AsyncQueue<NoteChange>>();
  readonly #listeners = new Set<(change: NoteChange) => void>();
  readonly #maxReaders: number;
  readonly #maxQueued: number;
  readonly #maxPerAddress: number;
  /** Readers now, per address key. */
  readonly #perAddress = new Map<string, number>();
  #closed = false;

  constructor(options: ChangeFeedOptions = {}) {
    this.#maxReaders = options.maxReaders ?? 100;
    this.#maxQueued = options.maxQueued ?? 100;
    this.#maxPerAddress = options.maxReadersPerAddress ?? 16;
  }

  /** The number of readers now. */
  get readers(): number {
    return this.#readers.size;
  }

  /** Announces a change to every reader and listener. */
  emit(change: NoteChange): void {
    for (const reader of this.#readers) reader.push(change);
    for (const listener of this.#listeners) listener(change);
  }

  /** Calls `listener` with every change until the returned function is called. */
  listen(listener: (change: NoteChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * A new reader of the changes to come, ended when `signal` aborts or the feed closes.
   * `address` is the reader's remote address, counted against `maxReadersPerAddress`.
   */
  read(signal: AbortSignal, address?: string | undefined): AsyncQueue<NoteChange> {
    if (this.#closed) throw new ParleyError('unavailable', 'The service is shutting down');
    if (this.#readers.size >= this.#maxReaders) {
      throw new ParleyError('too_many_requests', `At most ${this.#maxReaders} live pages at once`);
    }
    const key = addressKey(address);
    const fromAddress = this.#perAddress.get(key) ?? 0;
    if (fromAddress >= this.#maxPerAddress) {
      throw new ParleyError(
        'too_many_requests',
        `At most ${this.#maxPerAddress} live pages per address at once`,
      );
    }
    if (signal.aborted) throw new ParleyError('cancelled', 'The reader went away');
    const reader: AsyncQueue<NoteChange> = new AsyncQueue<NoteChange>({
      maxItems: this.#maxQueued,
      signal,
      onEnd: () => {
        this.#readers.delete(reader);
        const left = (this.#perAddress.get(key) ?? 1) - 1;
        if (left > 0) this.#perAddress.set(key, left);
        else this.#perAddress.delete(key);
      },
    });
    this.#readers.add(reader);
    this.#perAddress.set(key, fromAddress + 1);
    return reader;
  }

  /** Ends every reader and refuses new ones. */
  close(): void {
    this.#closed = true;
    for (const reader of this.#readers) reader.end();
  }
}
