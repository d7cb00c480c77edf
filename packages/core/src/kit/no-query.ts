import { ParleyError } from '../error.js';
import type { Request } from '../request.js';

/**
 * Refuses, with a `bad_request` ParleyError, a request with a query on a protocol that carries
 * none (FTP, SMTP), rather than sending it to the path without its query.
 *
 * @param request - the request about to be sent
 * @param protocol - the protocol's name, for the message (`'FTP'`)
 *
 * @example
 * ```ts
 * refuseQuery(createRequest({ method: 'GET', path: '/a?b=c' }), 'FTP'); // throws: FTP carries no query...
 * ```
 */
export function refuseQuery(request: Request, protocol: string): void {
  if (request.query.size === 0) return;
  throw new ParleyError(
    'bad_request',
    `${protocol} carries no query: ${request.path} was given ?${request.query} (a ? in a path starts the query)`,
    { retryable: false },
  );
}
