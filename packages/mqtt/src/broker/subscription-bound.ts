import type { Client, Subscription } from 'aedes';

/** The most subscriptions one client holds at once. */
export const MAX_SUBSCRIPTIONS = 1024;
/** The most bytes of topic filters one client holds at once. */
export const MAX_FILTER_BYTES = 1024 * 1024;

/** What one client holds: its filters and their bytes. */
interface Held {
  readonly filters: Set<string>;
  bytes: number;
}

/**
 * Bounds the subscriptions of each client of the embedded broker to {@link MAX_SUBSCRIPTIONS}
 * filters and {@link MAX_FILTER_BYTES} bytes of them: aedes keeps every subscription it is asked
 * for, so one connection subscribing again and again would grow the broker without bound. A
 * filter beyond is refused (SUBACK 0x80); unsubscribing makes room again.
 */
export class SubscriptionBound {
  readonly #held = new WeakMap<Client, Held>();

  /** The aedes `authorizeSubscribe` handler. */
  readonly authorizeSubscribe = (
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ): void => {
    let held = this.#held.get(client);
    if (held === undefined) {
      held = { filters: new Set(), bytes: 0 };
      this.#held.set(client, held);
    }
    const topic = subscription.topic;
    if (held.filters.has(topic)) {
      done(null, subscription);
      return;
    }
    const bytes = Buffer.byteLength(topic);
    if (held.filters.size >= MAX_SUBSCRIPTIONS || held.bytes + bytes > MAX_FILTER_BYTES) {
      done(null, null);
      return;
    }
    held.filters.add(topic);
    held.bytes += bytes;
    done(null, subscription);
  };

  /** Frees the room of the filters a client unsubscribed from (the aedes `unsubscribe` event). */
  readonly unsubscribed = (topics: readonly string[], client: Client): void => {
    const held = this.#held.get(client);
    if (held === undefined) return;
    for (const topic of topics) {
      if (held.filters.delete(topic)) held.bytes -= Buffer.byteLength(topic);
    }
  };
}
