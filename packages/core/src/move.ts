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

/**
 * The request header field saying whether a `MOVE` may replace what is at its destination (as
 * WebDAV's `Overwrite`): `T` (the default when absent) or `F`.
 */
export const OVERWRITE_HEADER = 'overwrite';

/**
 * Whether a `MOVE` may replace an existing target, from its {@link OVERWRITE_HEADER}: true when
 * the field is absent or `T`, false for `F` (a handler then answers `precondition_failed` when
 * the target exists, as WebDAV's 412, RFC 4918 section 10.6); any other value is a `bad_request` ParleyError.
 *
 * @param request - the `MOVE` request
 * @returns Whether the target may be replaced.
 */
export function moveOverwrites(request: Request): boolean {
  const value = request.headers.get(OVERWRITE_HEADER);
  if (value === undefined) return true;
  const flag = value.trim().toUpperCase();
  if (flag === 'T') return true;
  if (flag === 'F') return false;
  throw new ParleyError(
    'bad_request',
    `The ${OVERWRITE_HEADER} of a MOVE is T or F, not ${JSON.stringify(value)}`,
  );
}
