import type { Readable } from 'node:stream';

/** An error `smtp-server` answers with `code` and `text` (which starts with the enhanced code). */
export function smtpError(code: number, text: string): Error & { responseCode: number } {
  return Object.assign(new Error(text), { responseCode: code });
}

/** The refusal of bad credentials: 535 5.7.8. */
export function authFailure(): Error {
  return smtpError(535, '5.7.8 Authentication credentials invalid');
}

/** The refusal of AUTH on a clear connection: 538 5.7.11. */
export function encryptionRequired(): Error {
  return smtpError(538, '5.7.11 Encryption required: use STARTTLS first');
}

/**
 * Runs `then` once the stream has ended or closed: at once when it already has (the usual
 * case, the handler read the whole message), else after draining what is left of it.
 */
export function afterEnd(stream: Readable, then: () => void): void {
  if (stream.readableEnded || stream.destroyed) {
    then();
    return;
  }
  let called = false;
  const once = (): void => {
    if (called) return;
    called = true;
    then();
  };
  stream.once('end', once);
  stream.once('close', once);
  if (stream.readableFlowing !== true) stream.resume();
}
