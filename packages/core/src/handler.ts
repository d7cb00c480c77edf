import type { Request } from './request.js';
import type { Response } from './response.js';

/** Answers a request. Servers run one; clients are one. */
export type Handler = (request: Request) => Promise<Response>;

/** Wraps a handler; the same shape on the client and the server side. */
export type Middleware = (next: Handler) => Handler;

/** Wraps `handler` in `middleware`, the first one outermost. */
export function compose(handler: Handler, middleware: readonly Middleware[] = []): Handler {
  let composed = handler;
  for (let i = middleware.length - 1; i >= 0; i--) composed = (middleware[i] as Middleware)(composed);
  return composed;
}
