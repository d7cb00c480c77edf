import { ParleyError } from './error.js';
import { normalizePath } from './path.js';
import type { Request } from './request.js';

/**
 * The request header field holding a `MOVE`'s target path (as WebDAV's `Destination`): a
 * decoded path such as `/notes/b.txt`, never a URL; transports translate their own spelling.
 */
export const DESTINATION_HEADER = 'destination';

/**
 * The normalised target path of a `MOVE` request, read from its {@link DESTINATION_HEADER}.
 * A missing, relative or refused path (see `normalizePath`) is a `bad_request` ParleyError.
 *
 * @param request - the `MOVE` request
 * @returns The destination path.
 *
 * @example
 * ```ts
 * router.move('/notes/:name', async (req) => {
 *   const to = moveDestination(req); // "/notes/b.txt"
 *   ...
 * });
 * ```
 */
export function moveDestination(request: Request): string {
  const value = request.headers.get(DESTINATION_HEADER);
  if (value === undefined || value === '') {
    throw new ParleyError(
      'bad_request',
      `A MOVE needs a ${DESTINATION_HEADER} header field (the target path)`,
    );
  }
  if (!value.startsWith('/')) {
    throw new ParleyError(
      'bad_request',
      `The ${DESTINATION_HEADER} of a MOVE must be a path starting with /`,
    );
  }
  return normalizePath(value);
}
