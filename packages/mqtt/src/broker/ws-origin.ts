import type { IncomingMessage } from 'node:http';

/**
 * Whether a WebSocket upgrade may proceed, by its `Origin`: none (a client that is no browser
 * page), one whose host name is the one the request was addressed to (its `Host`, port aside),
 * or one listed in `allowedOrigins` (exact origins such as `https://app.example`, or `*` for
 * any). Anything else is a page of another site, which must not reach the broker.
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  const host = request.headers.host;
  if (host === undefined) return false;
  try {
    return new URL(origin).hostname === new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
}
