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

/** The most bytes of event bodies held for one slow subscriber by default (older events are dropped beyond). */
export const MAX_QUEUED_EVENT_BYTES = 64 * 1024 * 1024;

/** The most events held for one slow subscriber by default. */
export const MAX_QUEUED_EVENTS = 1000;

/** How much of a subscription's events may wait for a slow reader; the oldest are dropped beyond. */
export interface EventQueueLimits {
  /** The most events. Default: {@link MAX_QUEUED_EVENTS}. */
  readonly maxQueuedEvents?: number | undefined;
  /** The most bytes of their bodies. Default: {@link MAX_QUEUED_EVENT_BYTES}. */
  readonly maxQueuedBytes?: number | undefined;
}

/**
 * The queue of one subscription's events: at most {@link MAX_QUEUED_EVENTS} events and
 * {@link MAX_QUEUED_EVENT_BYTES} of bodies (or the given limits) wait for a slow reader, the
 * oldest dropped beyond either, so that anyone who can publish cannot fill a subscriber's memory.
 *
 * @param options - the signal that ends the subscription, what to do when it ends, and the limits
 */
export function eventQueue(
  options: { signal?: AbortSignal | undefined; onEnd?: (() => void) | undefined } & EventQueueLimits,
): AsyncQueue<ParleyEvent> {
  return new AsyncQueue<ParleyEvent>({
    signal: options.signal,
    onEnd: options.onEnd,
    maxItems: options.maxQueuedEvents ?? MAX_QUEUED_EVENTS,
    maxBytes: options.maxQueuedBytes ?? MAX_QUEUED_EVENT_BYTES,
    sizeOf: (event) => event.body.size ?? 0,
  });
}
