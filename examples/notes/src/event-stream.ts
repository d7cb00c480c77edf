import { Body } from '@parley/core';
import type { ChangeFeed, NoteChange } from './changes.js';

/** Options of {@link eventStream}. */
export interface EventStreamOptions {
  /** How often a comment line keeps the stream alive (and reveals a gone reader), in ms. Default: 15 000. */
  readonly heartbeatMs?: number;
}

const PING = Symbol('ping');

/**
 * A `text/event-stream` body of the feed's changes, one `change` event each, ending when
 * `signal` aborts (the client went away) or the feed closes (the server shuts down). `address`
 * is the reader's remote address (the feed limits readers per address).
 */
export function eventStream(
  feed: ChangeFeed,
  signal: AbortSignal,
  options: EventStreamOptions = {},
  address?: string | undefined,
): Body {
  const changes = feed.read(signal, address);
  return Body.from(lines(changes, options.heartbeatMs ?? 15_000));
}

async function* lines(changes: AsyncIterable<NoteChange> & { end(): void }, heartbeatMs: number) {
  yield 'retry: 2000\n: connected\n\n';
  const iterator = changes[Symbol.asyncIterator]();
  try {
    let pending = iterator.next();
    while (true) {
      const next = await raceTimer(pending, heartbeatMs);
      if (next === PING) {
        yield ': ping\n\n';
        continue;
      }
      if (next.done) return;
      yield `event: change\ndata: ${JSON.stringify(next.value)}\n\n`;
      pending = iterator.next();
    }
  } finally {
    changes.end();
    await iterator.return?.();
  }
}

async function raceTimer<T>(promise: Promise<T>, ms: number): Promise<T | typeof PING> {
  let timer: NodeJS.Timeout | undefined;
  const ping = new Promise<typeof PING>((resolve) => {
    timer = setTimeout(() => resolve(PING), ms);
  });
  try {
    return await Promise.race([promise, ping]);
  } finally {
    clearTimeout(timer);
  }
}
