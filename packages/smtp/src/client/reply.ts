import { HeaderMap, ParleyError, type Response, respond } from '@parley/core';
import { parseSmtpReply, smtpToStatus } from '../status-map.js';

/** What nodemailer's errors carry. */
export interface SendError extends Error {
  code?: string | undefined;
  responseCode?: number | undefined;
  response?: string | undefined;
  /** The recipient a RCPT TO (or LMTP) failure is about. */
  recipient?: string | undefined;
  /** The socket's own error code, when nodemailer replaced it with `ESOCKET`. */
  originalCode?: string | undefined;
  /** Every recipient refused, when all of them were. */
  rejectedErrors?: SendError[] | undefined;
}

/** A response made of an SMTP reply: its status, `smtp-reply` and `message-id` headers, no body. */
export function acknowledgement(reply: string, messageId: string | undefined): Response {
  const headers = new HeaderMap({ 'smtp-reply': oneLine(reply) });
  if (messageId !== undefined) headers.set('message-id', messageId);
  return respond(statusOfReply(reply), null, headers);
}

/**
 * The response for a reply the server refused a send with. A throttled login
 * (`454 4.7.0 ... try again in N s`, or the `421 4.7.0` that closes the connection after
 * repeated failures) is `too_many_requests`, with the wait as `retry-after` (seconds).
 */
export function refusal(
  error: SendError & { responseCode: number },
  messageId: string | undefined,
): Response {
  const reply = error.response ?? String(error.responseCode);
  const throttled = error.code === 'EAUTH' && (error.responseCode === 454 || error.responseCode === 421);
  if (!throttled) return acknowledgement(reply, messageId);
  const headers = new HeaderMap({ 'smtp-reply': oneLine(reply) });
  const seconds = /try again in (\d+) s/.exec(reply)?.[1];
  if (seconds !== undefined) headers.set('retry-after', seconds);
  return respond('too_many_requests', null, headers);
}

/** The status of a (possibly multi-line) reply: its last line decides. */
export function statusOfReply(reply: string) {
  const parsed = parseSmtpReply(reply.split('\n').at(-1) ?? reply);
  return smtpToStatus(parsed.code, parsed.enhanced);
}

/**
 * A reply on one line: its lines trimmed and joined by one space, in time linear in its length
 * (a pattern of blanks around line ends would try each blank of a long run to its end).
 */
export function oneLine(reply: string): string {
  let text = '';
  for (const line of reply.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '') text = text === '' ? trimmed : `${text} ${trimmed}`;
  }
  return text;
}

/** The error of a send that got no reply from the server. */
export function clientError(error: SendError, signal: AbortSignal): ParleyError {
  if (signal.aborted) return ParleyError.from(signal.reason);
  if (error instanceof ParleyError) return error;
  if (error.code === 'ETIMEDOUT')
    return new ParleyError('timeout', error.message, { cause: error, retryable: false });
  if (error.code === 'EAUTH') return new ParleyError('unauthenticated', error.message, { cause: error });
  // A certificate that fails verification fails the same way next time: not retryable.
  const socket = ParleyError.from(Object.assign(new Error(error.message), { code: error.originalCode }));
  if (socket.status === 'unavailable' && !socket.retryable) {
    return new ParleyError('unavailable', socket.message, { cause: error, retryable: false });
  }
  return new ParleyError('unavailable', error.message, { cause: error, retryable: true });
}

/**
 * The error of a connection that did not become encrypted (STARTTLS refused, or not offered when
 * required, or a failed upgrade): nothing was sent. Not retryable: the server would answer the same.
 */
export function tlsFailure(error: SendError): ParleyError {
  const what =
    typeof error.response === 'string'
      ? `The server refused STARTTLS (${oneLine(error.response)})`
      : `STARTTLS failed (${error.message})`;
  return new ParleyError('unavailable', `${what}: neither credentials nor the message were sent`, {
    cause: error,
    retryable: false,
  });
}
