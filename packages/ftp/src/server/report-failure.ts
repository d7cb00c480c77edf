import { type ListenContext, ParleyError } from '@parley/core';

/** What a failure the server could not answer happened during. */
export interface FailureDetails {
  /** The protocol: always `ftp`. */
  readonly protocol: 'ftp';
  /** The remote address of the control connection. */
  readonly address: string;
  /** The command being run (the verb only: never a password). */
  readonly command: string;
}

/**
 * Reports a failure the server cannot answer on the wire as it is: an `authenticate` hook that
 * throws, a failed response whose body fails, a fault in the server itself. The client still
 * gets a reply (`530`, `451`...); the failure itself goes here rather than being lost. Every such
 * failure of the FTP server passes through this one function.
 */
export function reportFailure(context: ListenContext, error: unknown, details: FailureDetails): void {
  const where = `ftp ${details.command} from ${details.address}`;
  const failure = ParleyError.from(error);
  if (context.onError !== undefined) context.onError(failure, where);
  else console.error(`${where} failed:`, failure.cause ?? failure);
}
