import type { ListenContext } from '@parley/core';

/** Where a failure the server could not answer on the wire happened. */
export interface FailureDetails {
  /** Always `smtp`. */
  readonly protocol: 'smtp';
  /** What the server was doing: `connection`, `refusal`, `response-body`, `spool`, `server`. */
  readonly stage: string;
  /** The client's address, when the failure belongs to a connection. */
  readonly address?: string | undefined;
}

/** A listen context that may carry the server's error hook. */
type WithErrorHook = ListenContext & {
  readonly onError?: (error: unknown, details: FailureDetails) => void;
};

/**
 * Hands a failure nobody can be answered about (a socket error, a temporary file that could
 * not be removed, a response body that failed to cancel) to the server's error hook, so it
 * is reported instead of swallowed. The one place the SMTP listener reports failures.
 */
export function reportFailure(context: ListenContext, error: unknown, details: FailureDetails): void {
  (context as WithErrorHook).onError?.(error, details);
}
