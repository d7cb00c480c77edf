import type { Peer } from './auth.js';
import { Body, type BodyInit } from './body.js';
import { Deadline } from './deadline.js';
import { ParleyError } from './error.js';
import type { EventQueueLimits, ParleyEvent } from './event.js';
import { compose, type Handler, type Middleware } from './handler.js';
import { HeaderMap, type HeadersInit } from './headers.js';
import { checkNumber, checkNumbers } from './kit/option-check.js';
import { isIdempotent, type Method } from './method.js';
import { DESTINATION_HEADER } from './move.js';
import { normalizePath } from './path.js';
import { createRequest, type Request, withRequest } from './request.js';
import type { Response } from './response.js';
import type { Trace } from './trace.js';
import type { Connector, ConnectorEvents, Transport, TransportContract } from './transport.js';

/** The options of a call given none (one object for them all). */
const NO_OPTIONS: RequestOptions = Object.freeze({});

/** Options of {@link createClient}. */
export interface CreateClientOptions {
  /** Middleware around every call, the first outermost. Default: none. */
  middleware?: readonly Middleware[] | undefined;
  /** Time allowed for each call until the response arrives, in ms. Default: 30 000. */
  timeoutMs?: number | undefined;
  /** Extra attempts after a retryable failure, for idempotent methods only. Default: 2. */
  retries?: number | undefined;
  /** Wait before the first retry, doubled for each next one, in ms. Default: 100. */
  retryDelayMs?: number | undefined;
  /** Header fields sent with every call. Default: none. */
  headers?: HeadersInit | undefined;
  /** Receives the wire events of the transport's connections (see `formatTraceEvent`). Default: none. */
  trace?: Trace | undefined;
}

/** Options of one call. */
export interface CallOptions {
  /** Header fields of this call, over the client's defaults. */
  headers?: HeadersInit | undefined;
  /**
   * Time allowed for this call until its response arrives, in ms; reading the response body is
   * not timed (abort `signal` to bound it). Default: the client's `timeoutMs`.
   */
  timeoutMs?: number | undefined;
  /** Aborts the call, and then the response body while it is being read (as `fetch` does). */
  signal?: AbortSignal | undefined;
}

/** Options of {@link Client.request}. */
export interface RequestOptions extends CallOptions {
  /** The request body. Default: empty. */
  body?: BodyInit | undefined;
  /**
   * The query, without `?`; when given, a `?` in the path is part of the name (`what?.txt`).
   * Default: the part of the path after its first `?`, else none.
   */
  query?: string | undefined;
}

/**
 * Options of {@link Client.subscribe}. Events the code does not read as fast as they come wait,
 * up to `maxQueuedEvents` (default 1000) and `maxQueuedBytes` of bodies (default 64 MiB); past
 * either, the oldest are dropped.
 */
export interface SubscribeOptions extends EventQueueLimits {
  /** Ends the subscription. */
  signal?: AbortSignal | undefined;
}

/**
 * The client of the Parley contract: the same calls over every transport. Anything the peer
 * answered comes back as a {@link Response} whatever its status; a {@link ParleyError} is thrown
 * only for what got no answer, and (`unsupported`) for operations the transport's contract
 * does not carry, before anything touches the network.
 *
 * @example
 * ```ts
 * const client = new Client(http('http://127.0.0.1:8080'), { timeoutMs: 5_000 });
 * const res = await client.put('/notes/hello.txt', 'hello');
 * console.log(res.status); // "created"
 * ```
 */
export class Client implements AsyncDisposable {
  /** What the transport carries. */
  readonly contract: TransportContract;
  readonly #connector: Connector;
  readonly #handler: Handler;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #retryDelayMs: number;
  readonly #headers: HeaderMap;
  readonly #peer: Peer;
  #closed = false;

  /**
   * Makes a client; {@link createClient} is the same.
   *
   * @param transport - the transport to reach the server over
   * @param options - the call defaults, such as `timeoutMs`
   */
  constructor(transport: Transport, options: CreateClientOptions = {}) {
    this.contract = transport.contract;
    this.#connector =
      options.trace === undefined ? transport.connect() : transport.connect({ trace: options.trace });
    checkNumbers('createClient', options, { timeoutMs: 'amount', retries: 'whole', retryDelayMs: 'amount' });
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#retries = options.retries ?? 2;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    this.#headers = new HeaderMap(options.headers);
    this.#peer = Object.freeze({ protocol: transport.contract.protocol });
    // Without middleware, a transport's failure reaches `request`, which makes it a ParleyError
    // itself; middleware is handed ParleyErrors only.
    const middleware = options.middleware ?? [];
    this.#handler =
      middleware.length === 0
        ? (request) => this.#send(request, false)
        : compose((request) => this.#send(request, true), middleware);
  }

  /** Sends a request with any method. */
  request(method: Method, path: string, options: RequestOptions = NO_OPTIONS): Promise<Response> {
    let deadline: Deadline;
    let timeoutMs: number;
    try {
      this.#ensureCarried(method);
      timeoutMs =
        options.timeoutMs === undefined
          ? this.#timeoutMs
          : checkNumber('A call', 'timeoutMs', options.timeoutMs, 'amount');
      deadline = new Deadline(timeoutMs, options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    let sent: Promise<Response>;
    try {
      if (deadline.failure !== undefined) throw deadline.failure;
      const request = createRequest({
        method,
        path,
        query: options.query,
        headers: this.#mergeHeaders(options.headers),
        body: options.body,
        signal: () => deadline.signal,
        deadline: Number.isFinite(timeoutMs) ? Date.now() + timeoutMs : undefined,
        peer: this.#peer,
      });
      sent = deadline.handOver(request, this.#handler);
    } catch (error) {
      sent = Promise.reject(error);
    }
    return deadline.settle(sent, this.#explain);
  }

  /** The failure of a call, with the transport's explanation when its deadline passed (one function per client). */
  readonly #explain = (failure: ParleyError, deadline: Deadline): ParleyError => {
    if (failure !== deadline.failure || failure.status !== 'timeout') return failure;
    const why = this.#connector.explainTimeout?.(deadline.timeoutMs);
    if (why === undefined) return failure;
    return new ParleyError('timeout', why, { cause: failure, retryable: failure.retryable });
  };

  /** Reads a resource. */
  get(path: string, options?: CallOptions): Promise<Response> {
    return this.request('GET', path, options);
  }
  /** Reads a resource's metadata (size, type, modification time) without its body. */
  head(path: string, options?: CallOptions): Promise<Response> {
    return this.request('HEAD', path, options);
  }
  /** Creates or replaces a resource. */
  put(path: string, body: BodyInit, options?: CallOptions): Promise<Response> {
    return this.request('PUT', path, { ...options, body });
  }
  /** Sends something to a resource (appends, creates within a collection, delivers a message). */
  post(path: string, body: BodyInit, options?: CallOptions): Promise<Response> {
    return this.request('POST', path, { ...options, body });
  }
  /** Deletes a resource. */
  delete(path: string, options?: CallOptions): Promise<Response> {
    return this.request('DELETE', path, options);
  }
  /** Lists a collection; read the entries with `readListing`. */
  list(path: string, options?: CallOptions): Promise<Response> {
    return this.request('LIST', path.endsWith('/') ? path : `${path}/`, options);
  }

  /**
   * Renames the resource at `from` to `to` in one step, on the peer (a `MOVE` with `to` in its
   * `destination` header field). Never retried: a repeated move would find its source gone.
   * A target that exists is replaced; with `headers: { overwrite: 'F' }` the peer answers
   * `precondition_failed` instead (see `moveOverwrites`).
   */
  async move(from: string, to: string, options: CallOptions = {}): Promise<Response> {
    const headers = new HeaderMap(options.headers);
    headers.set(DESTINATION_HEADER, normalizePath(to));
    return this.request('MOVE', from, { ...options, headers });
  }

  /** Publishes an event on a path (when the transport carries events). */
  async publish(path: string, body: BodyInit, options: { headers?: HeadersInit } = {}): Promise<void> {
    await this.#events().publish(path, body, options.headers);
  }

  /** Subscribes to events on paths matching a pattern (`/notes/*`), as an async iterator. */
  subscribe(pattern: string, options: SubscribeOptions = {}): AsyncIterable<ParleyEvent> {
    checkNumbers('subscribe', options, { maxQueuedEvents: 'count', maxQueuedBytes: 'amount' });
    return this.#events().subscribe(pattern, options.signal ?? new AbortController().signal, options);
  }

  /** Closes the transport's connections. Calls after it fail with `unavailable`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#connector.close();
  }

  /** Closes the client (`await using client = createClient(...)`). */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #ensureCarried(method: Method): void {
    if (this.#closed) throw new ParleyError('unavailable', 'The client is closed', { retryable: false });
    if (!this.contract.methods.includes(method)) throw this.#unsupported(method);
  }

  /** The connector's events capability, refused with `unsupported` when it has none. */
  #events(): ConnectorEvents {
    const events = this.#connector.events;
    if (events === undefined) throw this.#unsupported('events');
    return events;
  }

  #unsupported(what: string): ParleyError {
    const { protocol, methods } = this.contract;
    return new ParleyError(
      'unsupported',
      `${protocol} does not carry ${what}; it carries ${methods.join(', ')}`,
    );
  }

  #mergeHeaders(headers: HeadersInit | undefined): HeaderMap {
    if (headers === undefined && this.#headers.size === 0) return new HeaderMap();
    const merged = new HeaderMap(this.#headers);
    for (const [name, value] of new HeaderMap(headers)) merged.set(name, value);
    return merged;
  }

  /**
   * Sends a request through the transport. Only a failure does more: an idempotent request whose
   * failure is retryable is tried again (`#retry`), and with `explain` (for middleware) a
   * failure is rejected as a ParleyError; the usual call makes no async function, and no closure
   * or promise of its own.
   */
  #send(request: Request, explain: boolean): Promise<Response> {
    const retries = isIdempotent(request.method) ? this.#retries : 0;
    let sent: Promise<Response>;
    try {
      sent = this.#connector.send(request);
    } catch (error) {
      sent = Promise.reject(error);
    }
    if (retries === 0) return explain ? sent.then(undefined, throwParleyError) : sent;
    return sent.then(undefined, (error: unknown) => this.#retry(request, ParleyError.from(error), retries));
  }

  /** Tries a failed request again, after a growing wait, while its failure is retryable and attempts remain. */
  async #retry(request: Request, failure: ParleyError, retries: number): Promise<Response> {
    // The bytes to send again, read only once a retry is due: a body made from a string is then
    // encoded only by the transport that sends it (and not at all by one that writes text).
    const replay = request.body.buffered;
    let last = failure;
    for (let attempt = 0; ; attempt++) {
      const canRetry = attempt < retries && last.retryable && replay !== undefined && !request.signal.aborted;
      if (!canRetry) throw last;
      await sleep(this.#retryDelayMs * 2 ** attempt, request.signal);
      try {
        return await this.#connector.send(withRequest(request, { body: Body.from(replay) }));
      } catch (error) {
        last = ParleyError.from(error);
      }
    }
  }
}

/**
 * Creates a {@link Client} over a transport.
 *
 * @param transport - the transport to reach the server over
 * @param options - the call defaults, such as `timeoutMs`
 *
 * @example
 * ```ts
 * await using client = createClient(http('http://127.0.0.1:8080'));
 * const res = await client.get('/notes/hello.txt');
 * console.log(res.status, await res.body.text());
 * ```
 */
export function createClient(transport: Transport, options?: CreateClientOptions): Client {
  return new Client(transport, options);
}

/** Rethrows what a transport's call failed with as a ParleyError. */
function throwParleyError(error: unknown): never {
  throw ParleyError.from(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
