import type { Peer } from './auth.js';
import { Body, type BodyInit } from './body.js';
import { HeaderMap, type HeadersInit } from './headers.js';
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
  /** Query parameters, when the protocol carries them (HTTP does). */
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
  /** The path; it is normalised (see {@link normalizePath}). A `?query` part is split off. */
  path: string;
  /** Default: none. */
  headers?: HeadersInit | undefined;
  /** Default: empty. */
  body?: BodyInit;
  /** Default: a signal that never aborts. */
  signal?: AbortSignal | undefined;
  /** Default: none. */
  deadline?: number | undefined;
  /** Default: `{ protocol: 'local' }`. */
  peer?: Peer | undefined;
  /** Default: none. */
  params?: Readonly<Record<string, string>> | undefined;
}

const NEVER = new AbortController().signal;
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});
const LOCAL: Peer = Object.freeze({ protocol: 'local' });

/** Builds a {@link Request}, normalising its path. */
export function createRequest(options: CreateRequestOptions): Request {
  const queryStart = options.path.indexOf('?');
  const rawPath = queryStart === -1 ? options.path : options.path.slice(0, queryStart);
  return Object.freeze({
    method: options.method,
    path: normalizePath(rawPath),
    params: options.params ?? NO_PARAMS,
    query: new URLSearchParams(queryStart === -1 ? '' : options.path.slice(queryStart + 1)),
    headers: options.headers instanceof HeaderMap ? options.headers : new HeaderMap(options.headers),
    body: Body.from(options.body),
    signal: options.signal ?? NEVER,
    deadline: options.deadline,
    peer: options.peer ?? LOCAL,
  });
}

/** A copy of a request with some fields replaced (requests themselves are immutable). */
export function withRequest(request: Request, changes: Partial<Request>): Request {
  return Object.freeze({ ...request, ...changes });
}
