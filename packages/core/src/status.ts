/**
 * The closed set of protocol-neutral statuses a {@link Response} can carry.
 *
 * Each transport maps these to and from its own reply codes in one mapping file
 * (HTTP 404, FTP 550, SMTP 550 5.1.1 and MQTT reason codes are all `not_found`).
 */
export const STATUSES = [
  'ok',
  'created',
  'accepted',
  'no_content',
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'timeout',
  'conflict',
  'precondition_failed',
  'too_large',
  'too_many_requests',
  'insufficient_storage',
  'cancelled',
  'internal',
  'not_implemented',
  'unavailable',
  'unsupported',
] as const;

/**
 * A protocol-neutral status. `unsupported` is never sent on a wire: a client raises it when the
 * transport's contract does not carry an operation.
 */
export type Status = (typeof STATUSES)[number];

const SUCCESS: ReadonlySet<Status> = new Set<Status>(['ok', 'created', 'accepted', 'no_content']);

/**
 * True for the statuses that mean the operation succeeded (`ok`, `created`, `accepted`, `no_content`).
 *
 * @param status - the status
 *
 * @example
 * ```ts
 * isSuccess('created'); // true
 * isSuccess('conflict'); // false
 * ```
 */
export function isSuccess(status: Status): boolean {
  return SUCCESS.has(status);
}

/**
 * True when `value` is one of the {@link STATUSES}.
 *
 * @param value - any value, such as a status name read from the wire
 *
 * @example
 * ```ts
 * isStatus('not_found'); // true
 * isStatus('404'); // false
 * ```
 */
export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

/** A short human-readable sentence for each status, used in default reply texts. */
export const STATUS_TEXT: Readonly<Record<Status, string>> = {
  ok: 'OK',
  created: 'Created',
  accepted: 'Accepted',
  no_content: 'No content',
  bad_request: 'Bad request',
  unauthenticated: 'Authentication required',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  timeout: 'Timed out',
  conflict: 'Conflict',
  precondition_failed: 'Precondition failed',
  too_large: 'Too large',
  too_many_requests: 'Too many requests',
  insufficient_storage: 'Not enough storage',
  cancelled: 'Cancelled',
  internal: 'Internal error',
  not_implemented: 'Not implemented',
  unavailable: 'Service unavailable',
  unsupported: 'Not carried by this transport',
};
