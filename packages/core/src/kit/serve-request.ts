import type { Request } from '../request.js';
import { respondError } from '../response.js';
import type { ListenContext, ResponseSink } from '../transport.js';

/**
 * Serves a request through a listen context and hands its response to `sink`: with the
 * context's `serve` when it has one (servers made with `createServer` do), else with `handle`,
 * a rejection then answered as its status (see `respondError`).
 *
 * @param context - the context the transport listens with
 * @param request - the request to serve
 * @param sink - receives the response, once
 *
 * @example
 * ```ts
 * serveRequest(context, request, { respond: (response) => write(socket, response) });
 * ```
 */
export function serveRequest(context: ListenContext, request: Request, sink: ResponseSink): void {
  if (context.serve !== undefined) {
    context.serve(request, sink);
    return;
  }
  context.handle(request).then(
    (response) => sink.respond(response),
    (error: unknown) => sink.respond(respondError(error)),
  );
}
