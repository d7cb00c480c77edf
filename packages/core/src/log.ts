import { ParleyError } from './error.js';
import type { Middleware } from './handler.js';
import { printable } from './printable.js';

/** Options of {@link logRequests}. */
export interface LogRequestsOptions {
  /** Where each line goes. Default: `console.log`. */
  write?: ((line: string) => void) | undefined;
  /** Prefix each line with an ISO timestamp. Default: true. */
  timestamps?: boolean | undefined;
}

/**
 * Logs one line per request: protocol, method, path, status and duration, plus the user when
 * authenticated. Works on the client and the server side. What a peer chose (the path, the user
 * name) is written through `printable`: a line feed cannot forge a second line, nor an escape
 * sequence or a bidirectional override reach the operator's terminal.
 *
 * @param options - where the lines go and whether they start with a timestamp
 * @returns The middleware.
 *
 * @example
 * ```ts
 * createServer(router, { middleware: [logRequests()] });
 * // 2026-01-01T12:00:00.000Z http GET /notes/a.txt ok 1.4ms
 * ```
 */
export function logRequests(options: LogRequestsOptions = {}): Middleware {
  const write = options.write ?? ((line: string) => console.log(line));
  const timestamps = options.timestamps ?? true;
  return (next) => async (request) => {
    const started = performance.now();
    const line = (status: string): void => {
      const ms = (performance.now() - started).toFixed(1);
      const user = request.peer.principal === undefined ? '' : ` user=${request.peer.principal.name}`;
      const stamp = timestamps ? `${new Date().toISOString()} ` : '';
      write(
        `${stamp}${printable(`${request.peer.protocol} ${request.method} ${request.path} ${status} ${ms}ms${user}`)}`,
      );
    };
    try {
      const response = await next(request);
      line(response.status);
      return response;
    } catch (error) {
      line(ParleyError.from(error).status);
      throw error;
    }
  };
}
