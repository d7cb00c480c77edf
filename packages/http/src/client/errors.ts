import { ParleyError } from '@parley/core';
import { abortError } from '@parley/core/transport';

/**
 * The ParleyError for an exchange that got no answer: the caller's abort reason when its signal
 * aborted (`cancelled` or `timeout`), `unavailable` (retryable) when the connection failed,
 * `timeout` when undici's own timeouts passed. A response that is not valid HTTP/1.1 (a head
 * over the size limit, bytes the parser refuses, a body that does not match its length) is
 * `unavailable`, not retried: the peer failed.
 */
export function clientError(error: unknown, signal: AbortSignal): ParleyError {
  if (signal.aborted) return abortError(signal);
  if (error instanceof ParleyError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string') {
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return new ParleyError('timeout', message, { cause: error });
    }
    if (code === 'UND_ERR_ABORTED') return new ParleyError('cancelled', message, { cause: error });
    if (code === 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH' || code === 'UND_ERR_INVALID_ARG') {
      return new ParleyError('bad_request', message, { cause: error });
    }
    if (code === 'UND_ERR_HEADERS_OVERFLOW') {
      return peerFault(
        "The server's response head is larger than the client takes (Node.js's maxHeaderSize, 16 KiB by default)",
        error,
      );
    }
    if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')
      return peerFault(`The server's response body does not match its content-length: ${message}`, error);
    if (code === 'UND_ERR_DESTROYED') {
      return new ParleyError('unavailable', 'The client is closed', { cause: error, retryable: false });
    }
  }
  // undici's parser errors carry no code (their HPE_ name is lost): known by their name.
  if (error instanceof Error && error.name === 'HTTPParserError')
    return peerFault(`The server's response is not valid HTTP/1.1: ${message}`, error);
  return ParleyError.from(error);
}

/** The error of a peer that broke the protocol: the same request would fail the same way. */
function peerFault(message: string, cause: unknown): ParleyError {
  return new ParleyError('unavailable', message, { cause, retryable: false });
}
