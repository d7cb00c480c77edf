import { HTTP_DEFAULTS, type HttpOptions } from '../options.js';
import { openUndiciPool, type RequestPool } from './undici-pool.js';

/** The most pools to other origins (reached by redirects) kept open at once. */
const MAX_OTHER_ORIGINS = 8;

/**
 * The client's keep-alive pools: one to the URL's origin, and one to each other origin a
 * redirect led to (the oldest closed past {@link MAX_OTHER_ORIGINS}).
 */
export class OriginPools {
  /** The pool to the URL's own origin. */
  readonly home: RequestPool;
  readonly #origin: string;
  readonly #options: HttpOptions;
  readonly #others = new Map<string, RequestPool>();

  constructor(url: URL, options: HttpOptions) {
    this.#origin = url.origin;
    this.#options = options;
    this.home = openPool(url.origin, options);
  }

  /** The pool to an origin, opened on first use. */
  for(origin: string): RequestPool {
    if (origin === this.#origin) return this.home;
    let pool = this.#others.get(origin);
    if (pool === undefined) {
      pool = openPool(origin, this.#options);
      this.#others.set(origin, pool);
      if (this.#others.size > MAX_OTHER_ORIGINS) this.#closeOldest();
    }
    return pool;
  }

  /** Closes the oldest pool to another origin, once its requests in flight are done. */
  #closeOldest(): void {
    const [origin, pool] = this.#others.entries().next().value as [string, RequestPool];
    this.#others.delete(origin);
    pool.close().catch(() => {});
  }

  /** Destroys every pool, aborting what is in flight. */
  async close(): Promise<void> {
    const pools = [this.home, ...this.#others.values()];
    this.#others.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}

function openPool(origin: string, options: HttpOptions): RequestPool {
  return openUndiciPool(origin, {
    connections: options.connections ?? HTTP_DEFAULTS.connections,
    keepAliveTimeout: options.clientKeepAliveTimeoutMs ?? HTTP_DEFAULTS.clientKeepAliveTimeoutMs,
    connect: { timeout: options.connectTimeoutMs ?? HTTP_DEFAULTS.connectTimeoutMs, ...options.tls },
  });
}
