import type { Pool } from 'undici';
import { HTTP_DEFAULTS, type HttpOptions } from '../options.js';
import { parseReadsWith, READS } from './reused-reads.js';

/** The most pools to other origins (reached by redirects) kept open at once. */
const MAX_OTHER_ORIGINS = 8;

type PoolClass = typeof Pool;

let loading: Promise<PoolClass> | undefined;

/**
 * undici's `Pool` class, imported on first use: a process that only serves never loads undici,
 * and one that connects loads the pool without the rest of undici.
 */
function loadPool(): Promise<PoolClass> {
  loading ??= Promise.all([
    import('undici/lib/dispatcher/pool.js'),
    import('undici/lib/core/symbols.js'),
  ]).then(([pool, symbols]) => {
    parseReadsWith(symbols.default.kParser);
    return pool.default;
  });
  return loading;
}

/**
 * The client's keep-alive pools: one to the URL's origin, and one to each other origin a
 * redirect led to (the oldest closed past {@link MAX_OTHER_ORIGINS}). undici is loaded when the
 * pools are made; {@link OriginPools.home} waits for it only on the first calls.
 */
export class OriginPools {
  readonly #origin: string;
  readonly #options: HttpOptions;
  readonly #others = new Map<string, Pool>();
  readonly #opened: Promise<Pool>;
  #home: Pool | undefined;
  #poolClass: PoolClass | undefined;

  constructor(url: URL, options: HttpOptions) {
    this.#origin = url.origin;
    this.#options = options;
    this.#opened = loadPool().then((poolClass) => {
      this.#poolClass = poolClass;
      this.#home = openPool(poolClass, url.origin, options);
      return this.#home;
    });
    // A failed load is reported by the calls that wait for it.
    this.#opened.catch(() => {});
  }

  /** The pool to the URL's own origin, or the promise of it while undici loads. */
  home(): Pool | Promise<Pool> {
    return this.#home ?? this.#opened;
  }

  /** The pool to an origin, opened on first use (once {@link home} has resolved). */
  for(origin: string): Pool {
    const home = this.#home as Pool;
    if (origin === this.#origin) return home;
    let pool = this.#others.get(origin);
    if (pool === undefined) {
      pool = openPool(this.#poolClass as PoolClass, origin, this.#options);
      this.#others.set(origin, pool);
      if (this.#others.size > MAX_OTHER_ORIGINS) this.#closeOldest();
    }
    return pool;
  }

  /** Closes the oldest pool to another origin, once its requests in flight are done. */
  #closeOldest(): void {
    const [origin, pool] = this.#others.entries().next().value as [string, Pool];
    this.#others.delete(origin);
    pool.close().catch(() => {});
  }

  /** Destroys every pool, aborting what is in flight. */
  async close(): Promise<void> {
    const home = await this.#opened.catch(() => undefined);
    const pools = [...(home === undefined ? [] : [home]), ...this.#others.values()];
    this.#others.clear();
    await Promise.all(pools.map((pool) => pool.destroy()));
  }
}

/**
 * A pool to one origin. Plain connections read with {@link READS} (undici passes `onread` on to
 * `net.connect`); TLS ones read their socket themselves.
 */
function openPool(poolClass: PoolClass, origin: string, options: HttpOptions): Pool {
  const connect = { timeout: options.connectTimeoutMs ?? HTTP_DEFAULTS.connectTimeoutMs, ...options.tls };
  return new poolClass(origin, {
    connections: options.connections ?? HTTP_DEFAULTS.connections,
    keepAliveTimeout: options.clientKeepAliveTimeoutMs ?? HTTP_DEFAULTS.clientKeepAliveTimeoutMs,
    connect: origin.startsWith('http:') ? { ...connect, onread: READS } : connect,
  });
}
