import { abortError, ParleyError, type Response, respond } from '@parley/core';
import { FTPError } from 'basic-ftp';
import { statusFromFtpReply } from '../status-map.js';

/** How basic-ftp words a connection that went quiet for the client's `timeoutMs`. */
const QUIET = /^Timeout \((control|data) socket\)$/;

/**
 * The failure of an exchange that got no FTP answer: the abort reason when `signal` aborted,
 * `timeout` when the control or data connection went quiet for the client's `timeoutMs` (a
 * data port that accepts and never sends), else `unavailable` for a broken or refused
 * connection (retryable, unless the peer's TLS certificate failed verification). ParleyErrors
 * pass through.
 */
export function failure(error: unknown, signal: AbortSignal): ParleyError {
  if (signal.aborted) return abortError(signal);
  const known = ParleyError.from(error);
  if (error instanceof ParleyError || known.status === 'unavailable') return known;
  const message = error instanceof Error ? error.message : String(error);
  const quiet = QUIET.exec(message);
  if (quiet !== null)
    return new ParleyError('timeout', `The ${quiet[1]} connection timed out`, { cause: error });
  return new ParleyError('unavailable', `FTP connection failed: ${message}`, {
    cause: error,
    retryable: true,
  });
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

/**
 * Refuses, before anything is sent, a path FTP cannot carry on one command line (CR, LF, NUL)
 * or one that would name another file: Parley's FTP server, as Windows ones, reads a `\` as a `/`.
 */
export function checkPath(path: string): void {
  if (/[\r\n\0]/.test(path)) {
    throw new ParleyError('bad_request', 'An FTP path may not contain CR, LF or NUL characters', {
      retryable: false,
    });
  }
  if (path.includes('\\')) {
    throw new ParleyError(
      'bad_request',
      `An FTP path may not contain a backslash: Parley's FTP server, as Windows ones, reads it as a / (${path})`,
      { retryable: false },
    );
  }
}
