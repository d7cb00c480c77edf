import type { Dispatcher, Pool } from 'undici';
import request from 'undici/lib/api/api-request.js';
import PoolClass from 'undici/lib/dispatcher/pool.js';

/**
 * What the client uses of an undici pool: `request`, `close` and `destroy`.
 *
 * The pool comes from undici's own Pool module, not its package entry: the entry also loads
 * fetch, WebSocket, the cache and the mock agents, about 10 MB of memory and start-up time the
 * client never uses. `request` is undici's own, called on the pool as its entry would.
 */
export interface RequestPool {
  /** Sends one request (undici's `Dispatcher.request`). */
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  /** Closes once the requests in flight are done. */
  close(): Promise<void>;
  /** Closes now, aborting the requests in flight. */
  destroy(): Promise<void>;
}

/** Opens an undici keep-alive pool to an origin. */
export function openUndiciPool(origin: string, options: Pool.Options): RequestPool {
  const pool = new PoolClass(origin, options);
  return {
    request: (requestOptions) => request.call(pool, requestOptions),
    close: () => pool.close(),
    destroy: () => pool.destroy(),
  };
}
