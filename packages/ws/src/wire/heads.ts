import { HeaderMap, isMethod, type Method, type Status } from '@parley/core';
import { WS_STATUS_MAP } from '../status-map.js';
import { FrameError } from './frame.js';

/** The JSON head of a request `HEADERS` frame. */
export interface RequestHead {
  /** One of Parley's methods: `GET HEAD PUT POST DELETE LIST`. */
  readonly method: Method;
  /** The path, starting with `/`, not percent-encoded. */
  readonly path: string;
  /** The query, without `?`, when there is one. */
  readonly query?: string | undefined;
  /** Header fields, lower-case names. */
  readonly headers?: Record<string, string> | undefined;
  /** How long the caller waits, in ms from when the frame was sent. */
  readonly timeout?: number | undefined;
}

/** The JSON head of a response `HEADERS` frame. */
export interface ResponseHead {
  /** The Parley status. */
  readonly status: Status;
  /** Header fields, lower-case names. */
  readonly headers?: Record<string, string> | undefined;
}

/** The JSON head of an `EVENT` frame. */
export interface EventHead {
  /** The path it was published on. */
  readonly path: string;
  /** Header fields, lower-case names. */
  readonly headers?: Record<string, string> | undefined;
}

/**
 * The JSON text of a request head, field by field in the order of {@link RequestHead}: what
 * `JSON.stringify` makes of the head object, without the object or the generic walk over it.
 */
export function requestHeadJson(
  method: Method,
  path: string,
  query: string,
  headers: Record<string, string> | undefined,
  timeout: number | undefined,
): string {
  // A method is one of a few ASCII words: nothing in it needs escaping.
  let json = `{"method":"${method}","path":${JSON.stringify(path)}`;
  if (query !== '') json += `,"query":${JSON.stringify(query)}`;
  if (headers !== undefined) json += `,"headers":${JSON.stringify(headers)}`;
  if (timeout !== undefined) json += `,"timeout":${JSON.stringify(timeout)}`;
  return `${json}}`;
}

/** Header fields as a JSON object, or `undefined` when there are none. */
export function fieldsOf(headers: HeaderMap): Record<string, string> | undefined {
  return headers.size === 0 ? undefined : headers.toObject();
}

/**
 * Header fields of a JSON head, checked: an object of string values that header fields can
 * carry (token names; no CR, LF or NUL in values).
 */
export function headerMapOf(value: unknown): HeaderMap {
  if (value === undefined) return new HeaderMap();
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FrameError('"headers" must be an object of strings');
  for (const field of Object.values(value)) {
    if (typeof field !== 'string') throw new FrameError('"headers" must be an object of strings');
  }
  try {
    return new HeaderMap(value as Record<string, string>);
  } catch (error) {
    throw new FrameError((error as Error).message);
  }
}

/** A request head, checked; a bad one is a `FrameError` (answered `bad_request` on its stream). */
export function readRequestHead(value: unknown): RequestHead {
  const head = objectOf(value);
  if (!isMethod(head.method)) throw new FrameError(`"method" must be one of GET HEAD PUT POST DELETE LIST`);
  if (typeof head.path !== 'string' || !head.path.startsWith('/'))
    throw new FrameError('"path" must be a string starting with /');
  if (head.query !== undefined && typeof head.query !== 'string')
    throw new FrameError('"query" must be a string');
  const timeout = head.timeout;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0)))
    throw new FrameError('"timeout" must be a number of ms, 0 or more');
  return head as unknown as RequestHead;
}

/** A response head, checked; an unknown status reads as `internal`. */
export function readResponseHead(value: unknown): { status: Status; headers: HeaderMap } {
  const head = objectOf(value);
  const status = WS_STATUS_MAP.fromWire(typeof head.status === 'string' ? head.status : '');
  return { status, headers: headerMapOf(head.headers) };
}

/** An event head, checked. */
export function readEventHead(value: unknown): { path: string; headers: HeaderMap } {
  const head = objectOf(value);
  if (typeof head.path !== 'string' || !head.path.startsWith('/'))
    throw new FrameError('"path" must be a string starting with /');
  return { path: head.path, headers: headerMapOf(head.headers) };
}

function objectOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new FrameError('A head must be a JSON object');
  return value as Record<string, unknown>;
}

/** The body length a `content-length` field declares, when it is a valid number. */
export function contentLength(headers: HeaderMap): number | undefined {
  const value = headers.get('content-length');
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
