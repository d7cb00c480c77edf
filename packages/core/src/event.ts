import type { Body } from './body.js';
import type { HeaderMap } from './headers.js';
import { AsyncQueue } from './queue.js';

/** A message pushed on a path, outside any request (server push). */
export interface ParleyEvent {
  /** The path it was published on. */
  readonly path: string;
  /** Header fields, when the transport carries them. */
  readonly headers: HeaderMap;
  /** The payload. */
  readonly body: Body;
}

/** The most bytes of event bodies held for one slow subscriber (older events are dropped beyond). */
export const MAX_QUEUED_EVENT_BYTES = 64 * 1024 * 1024;

/**
 * The queue of one subscription's events: at most 1000 events and
 * {@link MAX_QUEUED_EVENT_BYTES} of bodies wait for a slow reader, the oldest dropped beyond
 * either, so that anyone who can publish cannot fill a subscriber's memory.
 *
 * @param options - the signal that ends the subscription, and what to do when it ends
 */
export function eventQueue(options: {
  signal?: AbortSignal | undefined;
  onEnd?: (() => void) | undefined;
}): AsyncQueue<ParleyEvent> {
  return new AsyncQueue<ParleyEvent>({
    ...options,
    maxBytes: MAX_QUEUED_EVENT_BYTES,
    sizeOf: (event) => event.body.size ?? 0,
  });
}
