import { ParleyError } from '@parley/core';

/** Exit codes of the `parley` command: curl's, where curl has one for the case. */
export const EXIT = {
  ok: 0,
  unknownScheme: 1,
  usage: 2,
  badUrl: 3,
  unsupported: 4,
  cannotResolve: 6,
  cannotConnect: 7,
  accessDenied: 9,
  partialFile: 18,
  cannotRetrieve: 19,
  commandFailed: 21,
  failed: 22,
  writeError: 23,
  uploadFailed: 25,
  readError: 26,
  timeout: 28,
  rangeError: 33,
  sslRequired: 64,
  peerCertificate: 60,
  tooLarge: 63,
  tooManyRedirects: 47,
  emptyReply: 52,
  sendError: 55,
  receiveError: 56,
  loginDenied: 67,
  caCertificate: 77,
  remoteFileNotFound: 78,
} as const;

/**
 * A failure of the command itself, with the exit code it ends with.
 *
 * @example
 * ```ts
 * throw new CliError(EXIT.usage, 'parley: -T needs a file name');
 * ```
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  /**
   * Makes the error.
   *
   * @param code - the exit code (see {@link EXIT})
   * @param message - the message the command prints
   */
  constructor(
    /** The exit code. */
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const SOCKET_CODES: Readonly<Record<string, number>> = {
  ENOTFOUND: EXIT.cannotResolve,
  EAI_AGAIN: EXIT.cannotResolve,
  ECONNREFUSED: EXIT.cannotConnect,
  EHOSTUNREACH: EXIT.cannotConnect,
  ENETUNREACH: EXIT.cannotConnect,
  ECONNRESET: EXIT.receiveError,
  EPIPE: EXIT.sendError,
  // The SMTP client's connection that could not become encrypted (STARTTLS not offered or
  // refused, when required): curl's "Requested SSL level failed".
  ETLS: EXIT.sslRequired,
};

/** How the WebSocket transport's error for an upgrade answered with a failure status begins. */
const UPGRADE_REFUSED = 'The server refused the WebSocket upgrade';

/**
 * The exit code for an error thrown while talking to a peer.
 *
 * @param thrown - what the call threw: a ParleyError, a socket error or anything else
 * @returns The exit code, as curl would end with.
 *
 * @example
 * ```ts
 * try {
 *   await client.get('/notes/a.txt');
 * } catch (error) {
 *   process.exitCode = exitCodeOf(error); // 7 when the connection was refused
 * }
 * ```
 */
export function exitCodeOf(thrown: unknown): number {
  if (thrown instanceof CliError) return thrown.code;
  if (certificateFailure(thrown)) return EXIT.peerCertificate;
  const socket = socketCode(thrown);
  if (socket !== undefined && SOCKET_CODES[socket] !== undefined) return SOCKET_CODES[socket];
  const error = ParleyError.from(thrown);
  // A server that answered the WebSocket upgrade with a failure status, 401 and 403 included:
  // curl's "Refused WebSockets upgrade" (22); the connection was made, whatever the status.
  if (error.message.startsWith(UPGRADE_REFUSED)) return EXIT.failed;
  switch (error.status) {
    case 'unsupported':
      return EXIT.unsupported;
    case 'bad_request':
      return EXIT.usage;
    case 'timeout':
      return EXIT.timeout;
    case 'too_large':
      return EXIT.tooLarge;
    case 'unauthenticated':
    case 'forbidden':
      return EXIT.loginDenied;
    default:
      // "connect ECONNREFUSED", "Connection refused": not "the connection closed", which came after one.
      return /\bconnect\b|refused/i.test(error.message) ? EXIT.cannotConnect : EXIT.receiveError;
  }
}

/**
 * The error a body that failed after its answer began ends the command with: curl's "partial
 * file" (exit 18) when the peer closed the connection before the body's end (a socket error such
 * as a reset keeps its own code), else `thrown` itself.
 *
 * @param thrown - what reading the body threw
 * @param size - the body's announced size, if any
 * @returns The error to end with.
 *
 * @example
 * ```ts
 * await writeBody(response.body, out).catch((error) => {
 *   throw bodyFailure(error, response.body.size); // exit 18 when the server closed early
 * });
 * ```
 */
export function bodyFailure(thrown: unknown, size: number | undefined): unknown {
  if (thrown instanceof CliError || socketCode(thrown) !== undefined) return thrown;
  if (exitCodeOf(thrown) !== EXIT.receiveError) return thrown;
  const announced = size === undefined ? '' : ` (${size} bytes announced)`;
  return new CliError(EXIT.partialFile, `Transfer closed before the end of the body${announced}`);
}

/**
 * Whether a request failed because the peer closed the connection before sending a byte of its
 * answer (curl's "empty reply from server"): undici's socket error tells what the socket read.
 *
 * @param thrown - what the request threw
 * @returns Whether the connection closed with nothing read.
 *
 * @example
 * ```ts
 * if (isEmptyReply(error)) process.exitCode = EXIT.emptyReply; // 52
 * ```
 */
export function isEmptyReply(thrown: unknown): boolean {
  for (const error of causes(thrown)) {
    const { code, socket } = error as { code?: unknown; socket?: { bytesRead?: unknown } };
    if (code === 'UND_ERR_SOCKET' && socket?.bytesRead === 0) return true;
  }
  return false;
}

/** Node's codes of a peer certificate that failed verification (`CERT_HAS_EXPIRED`...). */
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/;

/** Whether a peer certificate failed verification, by a code along the error's cause chain. */
function certificateFailure(thrown: unknown): boolean {
  for (const error of causes(thrown)) {
    const { code, originalCode } = error as { code?: unknown; originalCode?: unknown };
    for (const value of [code, originalCode]) {
      if (typeof value === 'string' && CERTIFICATE_CODE.test(value)) return true;
    }
  }
  return false;
}

/**
 * The first Node error code (`ECONNREFUSED`...) along an error's cause chain. A library's own code
 * that hides the socket's (nodemailer's `EDNS` over `ENOTFOUND`, kept as `originalCode`) gives
 * way to the socket's when that one has an exit code.
 */
function socketCode(thrown: unknown): string | undefined {
  for (const error of causes(thrown)) {
    const { code, originalCode } = error as { code?: unknown; originalCode?: unknown };
    if (typeof originalCode === 'string' && SOCKET_CODES[originalCode] !== undefined) return originalCode;
    if (typeof code === 'string' && code.startsWith('E')) return code;
  }
  return undefined;
}

/**
 * An error and those along its cause chain, eight at most: an AggregateError (a connection tried
 * on several addresses) is followed by its first error, any other by its `cause`.
 */
function* causes(thrown: unknown): Generator<Error> {
  for (let current = thrown, depth = 0; current instanceof Error && depth < 8; depth++) {
    yield current;
    const errors = (current as { errors?: unknown }).errors;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : current.cause;
  }
}
