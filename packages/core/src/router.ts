import type { Handler } from './handler.js';
import type { Method } from './method.js';
import { compilePattern, type PathPattern } from './path.js';
import { withRequest } from './request.js';
import { type Response, respond } from './response.js';
import type { RouteCheck } from './transport.js';

interface Route {
  readonly method: Method;
  readonly pattern: PathPattern;
  readonly handler: Handler;
}

/**
 * Routes requests by method and path pattern. Unknown paths answer `not_found`; known paths
 * without a route for the method answer `method_not_allowed` with an `allow` header. A `HEAD`
 * without its own route runs the `GET` route and drops the body.
 *
 * @example
 * ```ts
 * const router = createRouter()
 *   .get('/notes/:name', async (req) => respond('ok', `note ${req.params.name}`))
 *   .list('/notes/', async () => respondListing([]));
 * await createServer(router).listen(http('http://127.0.0.1:8080'));
 * ```
 */
export class Router {
  readonly #routes: Route[] = [];

  /** Adds a route for any method. Patterns are those of {@link compilePattern}. */
  route(method: Method, pattern: string, handler: Handler): this {
    this.#routes.push({ method, pattern: compilePattern(pattern), handler });
    return this;
  }

  /** Adds a `GET` route. */
  get(pattern: string, handler: Handler): this {
    return this.route('GET', pattern, handler);
  }
  /** Adds a `HEAD` route (without one, `HEAD` runs the `GET` route). */
  head(pattern: string, handler: Handler): this {
    return this.route('HEAD', pattern, handler);
  }
  /** Adds a `PUT` route. */
  put(pattern: string, handler: Handler): this {
    return this.route('PUT', pattern, handler);
  }
  /** Adds a `POST` route. */
  post(pattern: string, handler: Handler): this {
    return this.route('POST', pattern, handler);
  }
  /** Adds a `DELETE` route. */
  delete(pattern: string, handler: Handler): this {
    return this.route('DELETE', pattern, handler);
  }
  /** Adds a `LIST` route (patterns of collections end with `/`). */
  list(pattern: string, handler: Handler): this {
    return this.route('LIST', pattern, handler);
  }

  /** The router as a handler. */
  readonly handle: Handler = async (request) => {
    const found = this.#find(request.method, request.path);
    if (found.route === undefined) {
      if (found.allowed.length === 0) return respond('not_found', `No route for ${request.path}`);
      return respond('method_not_allowed', `${request.method} is not allowed on ${request.path}`, {
        allow: found.allowed.join(', '),
      });
    }
    const routed = withRequest(request, { params: found.params });
    if (found.route.method === request.method) return found.route.handler(routed);
    return withoutBody(await found.route.handler(withRequest(routed, { method: 'GET' })));
  };

  /** Whether a method and path would reach a route. */
  allows(method: Method, path: string): RouteCheck {
    const found = this.#find(method, path);
    if (found.route !== undefined) return 'ok';
    return found.allowed.length === 0 ? 'not_found' : 'method_not_allowed';
  }

  #find(method: Method, path: string): { route?: Route; params: Record<string, string>; allowed: Method[] } {
    const allowed: Method[] = [];
    let fallback: { route: Route; params: Record<string, string> } | undefined;
    for (const route of this.#routes) {
      const params = route.pattern.match(path);
      if (params === undefined) continue;
      if (route.method === method) return { route, params, allowed };
      if (method === 'HEAD' && route.method === 'GET' && fallback === undefined) fallback = { route, params };
      if (!allowed.includes(route.method)) allowed.push(route.method);
    }
    return fallback === undefined ? { params: {}, allowed } : { ...fallback, allowed };
  }
}

/** Creates an empty {@link Router}. */
export function createRouter(): Router {
  return new Router();
}

function withoutBody(response: Response): Response {
  const size = response.body.size;
  if (size !== undefined && !response.headers.has('content-length')) {
    response.headers.set('content-length', String(size));
  }
  void response.body.cancel();
  return respond(response.status, undefined, response.headers);
}
