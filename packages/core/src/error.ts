import { isStatus, STATUS_TEXT, type Status } from './status.js';

/** Options of a {@link ParleyError}. */
export interface ParleyErrorOptions {
  /** The underlying error, kept for diagnosis. */
  cause?: unknown | undefined;
  /** Whether repeating the operation may succeed. Default: true for `unavailable` and `timeout`. */
  retryable?: boolean | undefined;
  /** How long the caller should wait before trying again, in ms (`too_many_requests`, `unavailable`). */
  retryAfterMs?: number | undefined;
}

/** Marks ParleyErrors from every copy of this module (the ESM and the CJS builds alike). */
const BRAND = Symbol.for('parley.ParleyError');

const RETRYABLE_BY_DEFAULT: ReadonlySet<Status> = new Set<Status>(['unavailable', 'timeout']);

/**
 * The one error class of Parley. Its {@link ParleyError.status | status} is taken from the
 * closed {@link Status} set, so code can branch on it the same way for every protocol.
 *
 * Clients throw it for what got no answer (timeouts, aborts, unreachable peers, operations the
 * transport's contract does not carry); anything a peer answered is a `Response`.
 *
 * `instanceof ParleyError` holds across the ESM and CJS builds of Parley: an error thrown by
 * code loaded with `require` is an instance of the class imported with `import`.
 *
 * @example
 * ```ts
 * try {
 *   await client.get('/notes/a.txt', { timeoutMs: 1_000 });
 * } catch (error) {
 *   if (error instanceof ParleyError && error.retryable) console.log('try again later');
 *   else throw error;
 * }
 * ```
 */
export class ParleyError extends Error {
  /** Always `ParleyError`. */
  override readonly name = 'ParleyError';
  /** The protocol-neutral status of the failure. */
  readonly status: Status;
  /** Whether repeating the operation may succeed. */
  readonly retryable: boolean;
  /** How long to wait before trying again, in ms, when the peer or the server said so. */
  readonly retryAfterMs: number | undefined;

  /**
   * Makes an error of a status.
   *
   * @param status - the status it fails with
   * @param message - what went wrong, in words (default: the status phrase)
   * @param options - the cause, whether a retry may succeed and the wait before one
   */
  constructor(status: Status, message?: string, options: ParleyErrorOptions = {}) {
    super(message ?? STATUS_TEXT[status], options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(status);
    this.retryAfterMs = options.retryAfterMs;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a ParleyError made by any copy of Parley's core (ESM or CJS build). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /**
   * Turns anything thrown into a ParleyError: ParleyErrors pass through, aborts become
   * `cancelled` or `timeout`, Node socket errors become `unavailable` (retryable, except a TLS
   * certificate that fails verification or a peer that does not speak TLS, which fail the same
   * way next time), the rest `internal`.
   */
  static from(error: unknown): ParleyError {
    if (error instanceof ParleyError) return error;
    if (error instanceof Error) {
      if (error.name === 'TimeoutError') return new ParleyError('timeout', error.message, { cause: error });
      if (error.name === 'AbortError') return new ParleyError('cancelled', error.message, { cause: error });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined && NETWORK_CODES.has(code)) {
        return new ParleyError('unavailable', `${code}: ${error.message}`, { cause: error, retryable: true });
      }
      if (code !== undefined && TLS_CODE.test(code)) {
        return new ParleyError('unavailable', `TLS: ${error.message}`, { cause: error, retryable: false });
      }
      if (code !== undefined && NOT_TLS_CODE.test(code) && /wrong version number/.test(error.message)) {
        return new ParleyError(
          'unavailable',
          'TLS: the peer does not speak TLS on this port (its first bytes are not a TLS record)',
          { cause: error, retryable: false },
        );
      }
      const status = (error as { status?: unknown }).status;
      if (isStatus(status)) return new ParleyError(status, error.message, { cause: error });
      return new ParleyError('internal', error.message, { cause: error });
    }
    return new ParleyError('internal', String(error), { cause: error });
  }
}

/**
 * The error an aborted call fails with: the signal's reason when it is a ParleyError (the core
 * client's deadline and abort reasons are), `timeout` for `AbortSignal.timeout`, else `cancelled`.
 *
 * @param signal - the signal the call was aborted with
 * @returns The ParleyError to fail the call with.
 *
 * @example
 * ```ts
 * const signal = AbortSignal.timeout(1_000);
 * signal.addEventListener('abort', () => reject(abortError(signal))); // a `timeout` ParleyError
 * ```
 */
export function abortError(signal: AbortSignal): ParleyError {
  const reason: unknown = signal.reason;
  if (reason instanceof ParleyError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new ParleyError('timeout', reason.message, { cause: reason, retryable: false });
  }
  return new ParleyError('cancelled', 'The call was aborted', { cause: reason });
}

/** Codes of TLS failures that repeat on every attempt (certificate verification and the like). */
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_TLS/;

/** Codes of a TLS handshake that got something else than TLS back (with OpenSSL's "wrong version number"). */
const NOT_TLS_CODE = /^ERR_SSL_|^EPROTO$/;

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);
