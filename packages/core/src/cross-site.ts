import type { Middleware } from './handler.js';
import type { Request } from './request.js';
import { respond } from './response.js';

/** Options of {@link refuseCrossSite}. */
export interface RefuseCrossSiteOptions {
  /**
   * Origins allowed to send unsafe requests from another site, as browsers write them in
   * `Origin` (`https://app.example.com`, scheme and host, with the port unless it is the
   * scheme's default). Default: none.
   */
  readonly allowedOrigins?: readonly string[] | undefined;
  /**
   * Whether requests a browser marks `Sec-Fetch-Site: same-site` (another origin of the same
   * site, such as a sibling subdomain) pass. Default: false.
   */
  readonly allowSameSite?: boolean | undefined;
}

/** The methods that change nothing, which every site may send. */
const SAFE = new Set(['GET', 'HEAD', 'LIST', 'OPTIONS']);

/**
 * A middleware refusing unsafe requests (all but `GET`, `HEAD`, `LIST`) that a browser sent on
 * behalf of another site: any web page can make a browser send a form or a `text/plain` `POST`
 * with no preflight, carrying the user's cookies or saved credentials. Such a request is
 * answered `forbidden` (HTTP `403`) without reaching the handler, when
 *
 * - its `Sec-Fetch-Site` field is `cross-site`, or `same-site` unless `allowSameSite`; or,
 *   from browsers that send no `Sec-Fetch-Site`,
 * - its `Origin` field names another host than its `Host` field (or is `null`);
 *
 * unless its `Origin` is one of `allowedOrigins`. Requests without either field (curl, Parley
 * clients, FTP, SMTP and MQTT peers) pass: browsers always send them on unsafe requests. Behind
 * a proxy that rewrites `Host`, forward the original one or list the public origin in
 * `allowedOrigins`.
 *
 * @param options - origins to allow, and whether same-site requests pass
 * @returns The middleware.
 *
 * @example
 * ```ts
 * const server = createServer(router, {
 *   middleware: [refuseCrossSite({ allowedOrigins: ['https://app.example.com'] })],
 * });
 * ```
 */
export function refuseCrossSite(options: RefuseCrossSiteOptions = {}): Middleware {
  const allowed = new Set(options.allowedOrigins ?? []);
  const sameSite = options.allowSameSite ?? false;
  return (next) => async (request) => {
    if (SAFE.has(request.method)) return next(request);
    const refusal = crossSiteRefusal(request, allowed, sameSite);
    return refusal === undefined ? next(request) : respond('forbidden', refusal);
  };
}

/** Why `request` is refused as cross-site, or `undefined` when it may pass. */
function crossSiteRefusal(
  request: Request,
  allowed: ReadonlySet<string>,
  sameSite: boolean,
): string | undefined {
  const origin = request.headers.get('origin');
  if (origin !== undefined && allowed.has(origin)) return undefined;
  const site = request.headers.get('sec-fetch-site')?.toLowerCase();
  const from = origin === undefined ? 'another site' : origin;
  if (site === 'cross-site' || (site === 'same-site' && !sameSite)) {
    return `${request.method} ${request.path} from ${from} is refused: requests that change data are not accepted from other sites`;
  }
  if (site !== undefined || origin === undefined) return undefined;
  if (sameHost(origin, request.headers.get('host'))) return undefined;
  return `${request.method} ${request.path} from ${origin} is refused: its origin is not this server's`;
}

/** Whether the host of `origin` (a URL's origin, or `null`) is `host` (a `Host` field value). */
function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined || origin === 'null') return false;
  try {
    const from = new URL(origin);
    // Parsed with the origin's scheme, a host with its default port written out matches too.
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}
