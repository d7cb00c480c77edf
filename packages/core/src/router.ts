import type { Handler } from './handler.js';
import type { Method } from './method.js';
import { compilePattern, type PathPattern } from './path.js';
import { NO_PARAMS, type Request, withRequest } from './request.js';
import { type Response, respond } from './response.js';
import type { RouteHandler } from './route-params.js';
import type { RouteCheck } from './transport.js';

interface Route {
  readonly method: Method;
  readonly pattern: PathPattern;
  readonly handler: RouteHandler;
  /** The match of a pattern without parameters, made once: such a route's match allocates nothing. */
  readonly fixed: Match | undefined;
}

/** A route that matched, with the parameters it captured. */
interface Match {
  readonly route: Route;
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Routes requests by method and path pattern. Unknown paths answer `not_found`; known paths
 * without a route for the method answer `method_not_allowed` with an `allow` header. A `HEAD`
 * without its own route runs the `GET` route and drops the body. A route's handler gets the
 * pattern's parameters typed: in `.get('/notes/:name', h)`, `h` reads `request.params.name` as a
 * `string` (see `RoutedRequest`).
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
  route<Pattern extends string>(method: Method, pattern: Pattern, handler: RouteHandler<Pattern>): this {
    const compiled = compilePattern(pattern);
    const route: { -readonly [K in keyof Route]: Route[K] } = {
      method,
      pattern: compiled,
      handler: handler as RouteHandler,
      fixed: undefined,
    };
    if (compiled.literal !== undefined) route.fixed = { route, params: NO_PARAMS };
    this.#routes.push(route);
    return this;
  }

  /** Adds a `GET` route. */
  get<Pattern extends string>(pattern: Pattern, handler: RouteHandler<Pattern>): this {
    return this.route('GET', pattern, handler);
  }
  /** Adds a `HEAD` route (without one, `HEAD` runs the `GET` route). */
  head<Pattern extends string>(pattern: Pattern, handler: RouteHandler<Pattern>): this {
    return this.route('HEAD', pattern, handler);
  }
  /** Adds a `PUT` route. */
  put<Pattern extends string>(pattern: Pattern, handler: RouteHandler<Pattern>): this {
    return this.route('PUT', pattern, handler);
  }
  /** Adds a `POST` route. */
  post<Pattern extends string>(pattern: Pattern, handler: RouteHandler<Pattern>): this {
    return this.route('POST', pattern, handler);
  }
  /** Adds a `DELETE` route. */
  delete<Pattern extends string>(pattern: Pattern, handler: RouteHandler<Pattern>): this {
    return this.route('DELETE', pattern, handler);
  }
  /** Adds a `LIST` route (patterns of collections end with `/`). */
  list<Pattern extends string>(pattern: Pattern, handler: RouteHandler<Pattern>): this {
    return this.route('LIST', pattern, handler);
  }
  /**
   * Adds a `MOVE` route: the pattern matches the source path; the handler reads the target with
   * `moveDestination(request)`.
   */
  move<Pattern extends string>(pattern: Pattern, handler: RouteHandler<Pattern>): this {
    return this.route('MOVE', pattern, handler);
  }

  /**
   * The router as a handler. A route's handler gets the request with the route's `params`
   * (the request itself when both have none).
   */
  readonly handle: Handler = (request) => {
    try {
      const found = this.#match(request.method, request.path);
      if (found === undefined) return Promise.resolve(this.#refuse(request));
      const { route, params } = found;
      const same = params === NO_PARAMS && (request.params === NO_PARAMS || isEmpty(request.params));
      const routed = same ? request : withRequest(request, { params });
      if (route.method === request.method) return Promise.resolve(route.handler(routed));
      return Promise.resolve(route.handler(withRequest(routed, { method: 'GET' }))).then(withoutBody);
    } catch (error) {
      return Promise.reject(error);
    }
  };

  /** Whether a method and path would reach a route. */
  allows(method: Method, path: string): RouteCheck {
    if (this.#match(method, path) !== undefined) return 'ok';
    return this.#allowed(path).length === 0 ? 'not_found' : 'method_not_allowed';
  }

  /** The first route for the method and path (a `HEAD` falls back to a `GET` route), with its parameters. */
  #match(method: Method, path: string): Match | undefined {
    let fallback: Match | undefined;
    for (const route of this.#routes) {
      if (route.method !== method && (method !== 'HEAD' || route.method !== 'GET' || fallback !== undefined))
        continue;
      const found = matchRoute(route, path);
      if (found === undefined) continue;
      if (route.method === method) return found;
      fallback = found;
    }
    return fallback;
  }

  /** The methods of the routes matching a path, in the order they were added. */
  #allowed(path: string): Method[] {
    const allowed: Method[] = [];
    for (const route of this.#routes) {
      if (!allowed.includes(route.method) && route.pattern.match(path) !== undefined)
        allowed.push(route.method);
    }
    return allowed;
  }

  /** The answer to a request no route takes: `not_found`, or `method_not_allowed` with `allow`. */
  #refuse(request: Request): Response {
    const allowed = this.#allowed(request.path);
    if (allowed.length === 0) return respond('not_found', `No route for ${request.path}`);
    return respond('method_not_allowed', `${request.method} is not allowed on ${request.path}`, {
      allow: allowed.join(', '),
    });
  }
}

function matchRoute(route: Route, path: string): Match | undefined {
  const fixed = route.fixed;
  if (fixed !== undefined) return path === route.pattern.literal ? fixed : undefined;
  const params = route.pattern.match(path);
  if (params === undefined) return undefined;
  return { route, params: isEmpty(params) ? NO_PARAMS : params };
}

function isEmpty(params: Record<string, string>): boolean {
  for (const _ in params) return false;
  return true;
}

/**
 * Creates an empty {@link Router}.
 *
 * @returns A router without routes.
 *
 * @example
 * ```ts
 * const router = createRouter().get('/notes/:name', async (req) => respond('ok', req.params.name));
 * ```
 */
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
