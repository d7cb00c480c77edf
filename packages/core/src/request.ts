import type { Peer } from './auth.js';
import { Body, type BodyInit } from './body.js';
import { headersWithBodyType } from './body-type.js';
import type { HeaderMap, HeadersInit } from './headers.js';
import type { Method } from './method.js';
import { normalizePath } from './path.js';

/** A request of the Parley contract, the same whichever protocol carried it. All fields are readonly. */
export interface Request {
  /** The operation. */
  readonly method: Method;
  /** The normalised path, always starting with `/`; a collection path ends with `/`. */
  readonly path: string;
  /** Parameters captured by the router from the path pattern (`/notes/:name`). */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Query parameters, when the protocol carries them (HTTP does). Read-only: from
   * {@link createRequest}, its mutating methods throw a `TypeError`; copy it to change it
   * (`new URLSearchParams(request.query)`).
   */
  readonly query: URLSearchParams;
  /** Header fields, case-insensitive. */
  readonly headers: HeaderMap;
  /** The body, consumed once. */
  readonly body: Body;
  /** Aborts when the caller gives up, the deadline passes or the server shuts down. */
  readonly signal: AbortSignal;
  /**
   * When the caller stops waiting, in ms since the epoch (`Date.now()` scale), when known.
   * Transports that queue requests (MQTT message expiry) carry it so stale requests are dropped.
   */
  readonly deadline: number | undefined;
  /** Where the request came from and who sent it. */
  readonly peer: Peer;
}

/** Options of {@link createRequest}. Only `method` and `path` are required. */
export interface CreateRequestOptions {
  /** The operation. */
  method: Method;
  /**
   * The path; it is normalised (see {@link normalizePath}). A `?query` part is split off, unless
   * `query` is given.
   */
  path: string;
  /**
   * The query, without `?` (for a path that may hold a `?` of its own). Default: the part of
   * `path` after its first `?`, else none.
   */
  query?: string | undefined;
  /** Default: none. */
  headers?: HeadersInit | undefined;
  /** Default: empty. A `Blob` with a type gives the `content-type` unless `headers` name one. */
  body?: BodyInit | undefined;
  /**
   * The request's signal, or a function making it, called once when the signal is first read:
   * transports pass one so that a request whose handler never looks at its signal costs no
   * `AbortController`. Default: a signal that never aborts.
   */
  signal?: AbortSignal | (() => AbortSignal) | undefined;
  /** Default: none. */
  deadline?: number | undefined;
  /** Default: `{ protocol: 'local' }`. */
  peer?: Peer | undefined;
  /** Default: none. */
  params?: Readonly<Record<string, string>> | undefined;
}

const NEVER = new AbortController().signal;
/** The parameters of every request without any (a router compares them to this one first). */
export const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});
const LOCAL: Peer = Object.freeze({ protocol: 'local' });

/** Query parameters that cannot be changed: {@link Request.query} of requests from {@link createRequest}. */
class ReadonlyQuery extends URLSearchParams {
  override append(): never {
    throw readonlyQuery();
  }
  override delete(): never {
    throw readonlyQuery();
  }
  override set(): never {
    throw readonlyQuery();
  }
  override sort(): never {
    throw readonlyQuery();
  }
}

function readonlyQuery(): TypeError {
  return new TypeError("A request's query is read-only; copy it with new URLSearchParams(request.query)");
}

/** The query of every request without one (it is read-only, so one instance serves them all). */
const NO_QUERY: URLSearchParams = new ReadonlyQuery();

/**
 * Builds a {@link Request}, normalising its path.
 *
 * @param options - the method, path and other fields of the request
 * @returns The request, with its path normalised.
 *
 * @example
 * ```ts
 * const req = createRequest({ method: 'PUT', path: '/notes//a.txt', body: 'hello' });
 * req.path; // "/notes/a.txt"
 * const res = await router.handle(req);
 * ```
 */
export function createRequest(options: CreateRequestOptions): Request {
  const path = options.path;
  const query = options.query;
  const queryStart = query === undefined ? path.indexOf('?') : -1;
  const body = Body.from(options.body);
  return build(
    options.method,
    normalizePath(queryStart === -1 ? path : path.slice(0, queryStart)),
    options.params ?? NO_PARAMS,
    queryOf(query ?? (queryStart === -1 ? '' : path.slice(queryStart + 1))),
    headersWithBodyType(options.headers, body),
    body,
    options.deadline,
    options.peer ?? LOCAL,
    options.signal ?? NEVER,
  );
}

/**
 * Whatever makes a request's signal when a handler first reads it: a transport's own exchange
 * object can be one, so that a request costs no function made for it.
 */
export interface SignalSource {
  /** Makes the request's signal; called at most once. */
  signal(): AbortSignal;
}

/**
 * Builds the {@link Request} a transport received, as {@link createRequest} does for the same
 * fields, without an options object: the path is normalised, the query is read-only, the body's
 * type becomes the `content-type` when the fields name none, and the signal is made by `source`
 * when first read.
 *
 * @param method - the operation
 * @param path - the decoded path, without its query; it is normalised
 * @param query - the query, without `?` (`''` for none)
 * @param headers - the request's fields
 * @param body - the request's body (empty when `undefined`)
 * @param peer - where the request came from and who sent it
 * @param source - makes the request's signal when a handler first reads it
 * @returns The request.
 * @throws ParleyError `bad_request` for a path that cannot be normalised (see {@link normalizePath}).
 */
export function receivedRequest(
  method: Method,
  path: string,
  query: string,
  headers: HeaderMap,
  body: Body | undefined,
  peer: Peer,
  source: SignalSource,
): Request {
  const content = body ?? Body.empty();
  return new LazySignalRequest(
    method,
    normalizePath(path),
    NO_PARAMS,
    queryOf(query),
    headersWithBodyType(headers, content),
    content,
    undefined,
    peer,
    source,
  );
}

/**
 * A copy of a request with some fields replaced (requests themselves are immutable). A signal
 * that was to be made on first read stays so: it is made once, for the original and its copies.
 *
 * @param request - the request to copy
 * @param changes - the fields to replace
 * @returns The copy.
 *
 * @example
 * ```ts
 * const rewrite: Middleware = (next) => (req) =>
 *   next(withRequest(req, { path: req.path.replace(/^\/old\//, '/notes/') }));
 * ```
 */
export function withRequest(request: Request, changes: Partial<Request>): Request {
  const lazy =
    changes.signal === undefined ? Object.getOwnPropertyDescriptor(request, 'signal')?.get : undefined;
  return build(
    changes.method ?? request.method,
    changes.path ?? request.path,
    changes.params ?? request.params,
    changes.query ?? request.query,
    changes.headers ?? request.headers,
    changes.body ?? request.body,
    'deadline' in changes ? changes.deadline : request.deadline,
    changes.peer ?? request.peer,
    lazy === undefined ? (changes.signal ?? request.signal) : () => request.signal,
  );
}

function queryOf(search: string): URLSearchParams {
  return search === '' ? NO_QUERY : new ReadonlyQuery(search);
}

/** The frozen request of its fields and a signal, or of a function making the signal on first read. */
function build(
  method: Method,
  path: string,
  params: Readonly<Record<string, string>>,
  query: URLSearchParams,
  headers: HeaderMap,
  body: Body,
  deadline: number | undefined,
  peer: Peer,
  signal: AbortSignal | (() => AbortSignal),
): Request {
  if (typeof signal === 'function')
    return new LazySignalRequest(method, path, params, query, headers, body, deadline, peer, signal);
  return Object.freeze({ method, path, params, query, headers, body, signal, deadline, peer });
}

/**
 * A request whose signal is made when first read. `signal` is an own enumerable property, as on
 * any request (a copy made with `{ ...request }` gets it too), but a getter shared by all of them:
 * an accessor written in an object literal would make each request a slow dictionary object.
 */
class LazySignalRequest implements Request {
  declare readonly method: Method;
  declare readonly path: string;
  declare readonly params: Readonly<Record<string, string>>;
  declare readonly query: URLSearchParams;
  declare readonly headers: HeaderMap;
  declare readonly body: Body;
  declare readonly signal: AbortSignal;
  declare readonly deadline: number | undefined;
  declare readonly peer: Peer;
  #make: (() => AbortSignal) | SignalSource | undefined;
  #signal: AbortSignal | undefined;

  constructor(
    method: Method,
    path: string,
    params: Readonly<Record<string, string>>,
    query: URLSearchParams,
    headers: HeaderMap,
    body: Body,
    deadline: number | undefined,
    peer: Peer,
    make: (() => AbortSignal) | SignalSource,
  ) {
    // Assigned in the order of a plain request's fields, `signal` included.
    const self = this as { -readonly [K in keyof Request]: Request[K] };
    self.method = method;
    self.path = path;
    self.params = params;
    self.query = query;
    self.headers = headers;
    self.body = body;
    Object.defineProperty(this, 'signal', LAZY_SIGNAL);
    self.deadline = deadline;
    self.peer = peer;
    this.#make = make;
    Object.freeze(this);
  }

  /** The signal, made on the first call. */
  static signalOf(request: LazySignalRequest): AbortSignal {
    if (request.#signal === undefined) {
      const make = request.#make as (() => AbortSignal) | SignalSource;
      request.#make = undefined;
      request.#signal = typeof make === 'function' ? make() : make.signal();
    }
    return request.#signal;
  }
}

const LAZY_SIGNAL: PropertyDescriptor = {
  get(this: LazySignalRequest): AbortSignal {
    return LazySignalRequest.signalOf(this);
  },
  enumerable: true,
};
