import { type Body, ParleyError } from '@parley/core';
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

/** Whether `error` is a fault of the server or its handler (`internal`), not a refusal. */
export function isInternal(error: unknown): boolean {
  return !(error instanceof FtpFailure) && ParleyError.from(error).status === 'internal';
}

/**
 * The reply for anything thrown while running a command of `kind`. The text of an `internal`
 * failure stays on the server (it goes to the error hook): a client reads `Internal error`,
 * as over every transport, and never a path or a stack from the server's own errors.
 */
export function failureReply(error: unknown, kind: FtpReplyKind): { code: number; text: string } {
  if (error instanceof FtpFailure) return { code: error.code, text: error.message };
  const failure = ParleyError.from(error);
  return ftpReply(failure.status, kind, failure.status === 'internal' ? 'Internal error' : failure.message);
}

const MAX_MESSAGE_BYTES = 512;

const LOST = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ECONNRESET', 'ECONNABORTED']);

/** The reply for a failed transfer: a lost data connection is 426, the rest by status. */
export function transferFailure(error: unknown): { code: number; text: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && LOST.has(code))
    return { code: 426, text: 'Data connection lost; transfer aborted' };
  const failure = error instanceof FtpFailure ? undefined : ParleyError.from(error);
  if (failure?.status === 'cancelled') return { code: 426, text: `Transfer aborted: ${failure.message}` };
  return failureReply(error, 'transfer');
}

/**
 * The first bytes of a failed response's body, as one line of reply text. A body that fails
 * while read still leaves the status to answer with; its failure goes to `onFailure`.
 */
export async function readMessage(body: Body, onFailure: (error: unknown) => void): Promise<string> {
  const buffered = body.buffered;
  if (buffered !== undefined) {
    await body.cancel();
    return Buffer.from(buffered.subarray(0, MAX_MESSAGE_BYTES)).toString('utf8');
  }
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk));
      length += chunk.byteLength;
      if (length >= MAX_MESSAGE_BYTES) break;
    }
  } catch (error) {
    onFailure(error);
  }
  return Buffer.concat(chunks).subarray(0, MAX_MESSAGE_BYTES).toString('utf8');
}
