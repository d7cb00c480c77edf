import type { Status } from '@parley/core';
import type { StatusMap } from '@parley/core/transport';

/**
 * The HTTP status code a server sends for each Parley status. This table is the mapping's
 * documentation too; every code in it maps back to the same status (see {@link HTTP_CODE_STATUSES}).
 *
 * | Parley status | HTTP |
 * |---|---|
 * | `ok` | 200 OK |
 * | `created` | 201 Created |
 * | `accepted` | 202 Accepted |
 * | `no_content` | 204 No Content |
 * | `bad_request` | 400 Bad Request |
 * | `unauthenticated` | 401 Unauthorized |
 * | `forbidden` | 403 Forbidden |
 * | `not_found` | 404 Not Found |
 * | `method_not_allowed` | 405 Method Not Allowed |
 * | `timeout` | 408 Request Timeout |
 * | `conflict` | 409 Conflict |
 * | `precondition_failed` | 412 Precondition Failed |
 * | `too_large` | 413 Content Too Large |
 * | `too_many_requests` | 429 Too Many Requests |
 * | `insufficient_storage` | 507 Insufficient Storage |
 * | `cancelled` | 499 (client closed request) |
 * | `internal` | 500 Internal Server Error |
 * | `not_implemented` | 501 Not Implemented |
 * | `unavailable` | 503 Service Unavailable |
 * | `unsupported` | 501 Not Implemented (never sent by Parley; a client raises it, or answers it for a redirect it did not follow) |
 */
export const HTTP_STATUS_CODES: Readonly<Record<Status, number>> = {
  ok: 200,
  created: 201,
  accepted: 202,
  no_content: 204,
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  timeout: 408,
  conflict: 409,
  precondition_failed: 412,
  too_large: 413,
  too_many_requests: 429,
  insufficient_storage: 507,
  cancelled: 499,
  internal: 500,
  not_implemented: 501,
  unavailable: 503,
  unsupported: 501,
};

/**
 * The Parley status of each HTTP status code a client receives. Codes not listed fall back by
 * class (see {@link statusFromHttp}).
 *
 * Besides the reverse of {@link HTTP_STATUS_CODES}: 203, 205, 206 and 304 are `ok`;
 * redirects (301, 302, 303, 307, 308) a client did not follow (see the `followRedirects` and
 * `maxRedirects` options; only `GET`, `HEAD` and `LIST` follow them) are `unsupported`: the
 * answer is elsewhere, at the response's `location` header, where this call does not go;
 * 410 Gone is `not_found`; 414 and 431 are `too_large`; 502 is `unavailable` and 504 is `timeout`.
 */
export const HTTP_CODE_STATUSES: Readonly<Record<number, Status>> = {
  200: 'ok',
  201: 'created',
  202: 'accepted',
  203: 'ok',
  204: 'no_content',
  205: 'ok',
  206: 'ok',
  301: 'unsupported',
  302: 'unsupported',
  303: 'unsupported',
  304: 'ok',
  307: 'unsupported',
  308: 'unsupported',
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  409: 'conflict',
  410: 'not_found',
  412: 'precondition_failed',
  413: 'too_large',
  414: 'too_large',
  429: 'too_many_requests',
  431: 'too_large',
  499: 'cancelled',
  500: 'internal',
  501: 'not_implemented',
  502: 'unavailable',
  503: 'unavailable',
  504: 'timeout',
  507: 'insufficient_storage',
};

/** {@link HTTP_STATUS_CODES} as a `Map`: a look-up by a key known only at run time costs less. */
const CODES: ReadonlyMap<Status, number> = new Map(Object.entries(HTTP_STATUS_CODES) as [Status, number][]);

/**
 * The HTTP status code for a Parley status (see {@link HTTP_STATUS_CODES}).
 *
 * @param status - the status
 * @returns The HTTP status code.
 *
 * @example
 * ```ts
 * httpStatus('not_found'); // 404
 * ```
 */
export function httpStatus(status: Status): number {
  return CODES.get(status) as number;
}

/**
 * The Parley status of an HTTP status code: the entry of {@link HTTP_CODE_STATUSES}, else by
 * class: other `1xx` and `2xx` are `ok`, other `3xx` `unsupported`, other `4xx` `bad_request`,
 * other `5xx` and anything else `internal`.
 *
 * @param code - the HTTP status code
 *
 * @example
 * ```ts
 * statusFromHttp(404); // "not_found"
 * statusFromHttp(418); // "bad_request"
 * ```
 */
export function statusFromHttp(code: number): Status {
  const known = HTTP_CODE_STATUSES[code];
  if (known !== undefined) return known;
  if (code >= 100 && code < 300) return 'ok';
  if (code >= 300 && code < 400) return 'unsupported';
  if (code >= 400 && code < 500) return 'bad_request';
  return 'internal';
}

/**
 * How statuses travel over HTTP: {@link httpStatus} on the server side,
 * {@link statusFromHttp} on the client side. The contract's statuses are those that survive
 * the round trip.
 */
export const HTTP_STATUS_MAP: StatusMap<number> = { toWire: httpStatus, fromWire: statusFromHttp };
