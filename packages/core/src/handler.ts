import type { Request } from './request.js';
import type { Response } from './response.js';

/** Answers a request. Servers run one; clients are one. */
export type Handler = (request: Request) => Promise<Response>;

/** Wraps a handler; the same shape on the client and the server side. */
export type Middleware = (next: Handler) => Handler;

/**
 * Wraps `handler` in `middleware`, the first one outermost.
 *
 * @param handler - the innermost handler
 * @param middleware - the middleware, the first one outermost
 * @returns One handler running the middleware around `handler`.
 *
 * @example
 * ```ts
 * const handle = compose(router.handle, [logRequests(), refuseCrossSite()]);
 * const res = await handle(createRequest({ method: 'GET', path: '/notes/a.txt' }));
 * ```
 */
export function compose(handler: Handler, middleware: readonly Middleware[] = []): Handler {
  let composed = handler;
  for (let i = middleware.length - 1; i >= 0; i--) composed = (middleware[i] as Middleware)(composed);
  return composed;
}
