import type { Request } from '@parley/core';

/** Characters that need no percent-encoding in a path. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/**
 * The HTTP request target of a Parley request: its path with each segment percent-encoded,
 * and its query. `LIST` paths end in `/` (collections), so they travel as a `GET` of one.
 */
export function requestTarget(request: Request): string {
  let path = encodeTargetPath(request.path);
  if (request.method === 'LIST' && !path.endsWith('/')) path += '/';
  const query = request.query.size === 0 ? '' : `?${request.query.toString()}`;
  return path + query;
}

/** A path with each segment percent-encoded where needed (the request target, a `Destination`). */
export function encodeTargetPath(path: string): string {
  return PLAIN_PATH.test(path) ? path : path.split('/').map(encodeURIComponent).join('/');
}
