import { ParleyError } from '@parley/core';
import { type FtpReplyKind, ftpReply } from '../status-map.js';

/** A refusal with its exact FTP reply, thrown by command code and answered as is. */
export class FtpFailure extends Error {
  override readonly name = 'FtpFailure';
  /** The reply code. */
  readonly code: number;

  constructor(code: number, text: string) {
    super(text);
    this.code = code;
  }
}

/** The reply for anything thrown while running a command of `kind`. */
export function failureReply(error: unknown, kind: FtpReplyKind): { code: number; text: string } {
  if (error instanceof FtpFailure) return { code: error.code, text: error.message };
  const failure = ParleyError.from(error);
  return ftpReply(failure.status, kind, failure.message);
}
