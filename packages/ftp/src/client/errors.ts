import { ParleyError, type Response, respond } from '@parley/core';
import { FTPError } from 'basic-ftp';
import { statusFromFtpReply } from '../status-map.js';

/** The error an aborted request fails with: the signal's ParleyError, else `cancelled` or `timeout`. */
export function abortError(signal: AbortSignal): ParleyError {
  const reason: unknown = signal.reason;
  if (reason instanceof ParleyError) return reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new ParleyError('timeout', 'The FTP request timed out', { cause: reason, retryable: false });
  }
  return new ParleyError('cancelled', 'The FTP request was aborted', { cause: reason });
}

/**
 * The failure of an exchange that got no FTP answer: the abort reason when `signal` aborted,
 * else `unavailable` for a broken or refused connection (retryable, unless the peer's TLS
 * certificate failed verification). ParleyErrors pass through.
 */
export function failure(error: unknown, signal: AbortSignal): ParleyError {
  if (signal.aborted) return abortError(signal);
  if (error instanceof ParleyError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  // A certificate that fails verification fails the same way next time.
  const retryable = !/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
  return new ParleyError('unavailable', `FTP connection failed: ${message}`, { cause: error, retryable });
}

/** The response for a negative FTP reply: the status of its code and text, the text as body. */
export function replyResponse(error: FTPError): Response {
  return respond(statusFromFtpReply(error.code, error.message), replyText(error.message));
}

/** Whether `error` is a negative FTP reply (4xx or 5xx) rather than a failed connection. */
export function isReply(error: unknown): error is FTPError {
  return error instanceof FTPError;
}

/** The text of a (possibly multi-line) reply without its code prefixes. */
export function replyText(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.replace(/^\d{3}[- ]?/, ''))
    .join('\n')
    .trim();
}

/** Refuses a path FTP cannot carry on one command line (CR, LF) before anything is sent. */
export function checkPath(path: string): void {
  if (/[\r\n\0]/.test(path)) {
    throw new ParleyError('bad_request', 'An FTP path may not contain CR, LF or NUL characters', {
      retryable: false,
    });
  }
}
