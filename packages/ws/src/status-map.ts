import { isStatus, type Status } from '@parley/core';
import type { StatusMap } from '@parley/core/transport';

/**
 * How Parley statuses travel over WebSocket.
 *
 * A response carries its status by name in the JSON head of its `HEADERS` frame
 * (`{"status":"not_found"}`), so every status but `unsupported` (never sent) round-trips
 * unchanged. Before any frame, the server may refuse the upgrade with an HTTP status code;
 * after it, it may close the connection with a WebSocket close code. Both map to statuses here.
 *
 * | upgrade refused with | why | status |
 * |---|---|---|
 * | 400 | not a valid WebSocket upgrade | bad_request |
 * | 401 | credentials missing or refused | unauthenticated |
 * | 403 | `Origin` not allowed | forbidden |
 * | 404 | no WebSocket endpoint on this path | not_found |
 * | 429 | too many connections from one address, or authentication throttled (`Retry-After`) | too_many_requests |
 * | 500 | the authentication hook failed | internal |
 * | 503 | too many connections, or the server is shutting down | unavailable |
 */
export const UPGRADE_CODE_STATUSES: Readonly<Record<number, Status>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  408: 'timeout',
  426: 'bad_request',
  429: 'too_many_requests',
  500: 'internal',
  503: 'unavailable',
};

/** The HTTP status code a server refuses an upgrade with, for the statuses it refuses with. */
export const UPGRADE_STATUS_CODES: Readonly<Partial<Record<Status, number>>> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  timeout: 408,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
};

/**
 * The close codes a Parley server closes a connection with, and the status that requests in
 * flight on it then fail with on the client.
 *
 * | close code | when | status |
 * |---|---|---|
 * | 1000 | the connection was idle, or the client closed | unavailable (retryable) |
 * | 1001 | the server is shutting down | unavailable (retryable) |
 * | 1002 | a frame broke the format (the reason says how) | bad_request |
 * | 1006 | the connection dropped without a close frame | unavailable (retryable) |
 * | 1008 | flow control or a limit was violated, or events were not read fast enough | bad_request |
 * | 1009 | a frame was larger than `maxPayload` | too_large |
 * | 1011 | the server failed | internal |
 */
export const CLOSE_CODE_STATUSES: Readonly<Record<number, Status>> = {
  1000: 'unavailable',
  1001: 'unavailable',
  1002: 'bad_request',
  1006: 'unavailable',
  1008: 'bad_request',
  1009: 'too_large',
  1011: 'internal',
};

/** The close codes a Parley server sends, by name. */
export const CLOSE = {
  /** Idle, or closed by the client. */
  normal: 1000,
  /** The server is shutting down. */
  goingAway: 1001,
  /** A frame broke the format. */
  protocolError: 1002,
  /** Flow control or a limit was violated. */
  policy: 1008,
  /** A frame was too large. */
  tooLarge: 1009,
  /** The server failed. */
  internal: 1011,
} as const;

/**
 * The status of an HTTP code answering an upgrade (see {@link UPGRADE_CODE_STATUSES}); others by class.
 *
 * @param code - the HTTP status code answering the upgrade
 *
 * @example
 * ```ts
 * statusFromUpgrade(401); // "unauthenticated"
 * ```
 */
export function statusFromUpgrade(code: number): Status {
  const known = UPGRADE_CODE_STATUSES[code];
  if (known !== undefined) return known;
  if (code >= 400 && code < 500) return 'bad_request';
  return 'unavailable';
}

/**
 * The status of a close code (see {@link CLOSE_CODE_STATUSES}); unknown codes are `unavailable`.
 *
 * @param code - the WebSocket close code
 *
 * @example
 * ```ts
 * statusFromClose(1008); // "bad_request"
 * ```
 */
export function statusFromClose(code: number): Status {
  return CLOSE_CODE_STATUSES[code] ?? 'unavailable';
}

/**
 * How statuses travel in a response's `HEADERS` frame: by name (`{"status":"not_found"}`), so
 * every status but `unsupported` round-trips; a name that is no status reads as `internal`.
 */
export const WS_STATUS_MAP: StatusMap<string> = {
  toWire: (status) => status,
  fromWire: (name) => (isStatus(name) && name !== 'unsupported' ? name : 'internal'),
};
