import { type ListenContext, ParleyError } from '@parley/core';

/** Where a failure the server could not answer on the wire happened. */
export interface FailureDetails {
  /** Always `smtp`. */
  readonly protocol: 'smtp';
  /** What the server was doing: `connection`, `refusal`, `response-body`, `spool`, `server`. */
  readonly stage: string;
  /** The client's address, when the failure belongs to a connection. */
  readonly address?: string | undefined;
}

/**
 * Hands a failure nobody can be answered about (a socket error, a temporary file that could
 * not be removed, a response body that failed to cancel) to the server's error hook, so it
 * is reported instead of swallowed. The one place the SMTP listener reports failures.
 */
export function reportFailure(context: ListenContext, error: unknown, details: FailureDetails): void {
  const where = details.address === undefined ? details.stage : `${details.stage} from ${details.address}`;
  context.onError?.(ParleyError.from(error), `${details.protocol} ${where}`);
}
