import type { Middleware } from './handler.js';
import { respond } from './response.js';

/** Options of {@link refuseUnknownHosts}. */
export interface RefuseUnknownHostsOptions {
  /**
   * Host names (without port, case-insensitive) requests may name besides `localhost`, its
   * subdomains and IP addresses, such as `files.example.com`. Default: none.
   */
  readonly allowedHosts?: readonly string[] | undefined;
  /** Said after the refusal, such as how to allow a host. Default: "list it in allowedHosts". */
  readonly hint?: string | undefined;
}

/**
 * A middleware refusing requests whose `Host` field names a host the server does not know,
 * the defence against DNS rebinding: a web page whose own name an attacker's DNS later points at
 * 127.0.0.1 could otherwise read a server on the loopback address with the browser as a proxy
 * (same origin, as far as the browser can tell). Such a request is answered `forbidden` (HTTP
 * `403`) without reaching the handler. IP addresses, `localhost` and `*.localhost` always pass
 * (a rebinding page has a name of its own); so do requests without a `Host` field (FTP, SMTP,
 * MQTT). Behind a proxy, forward the public `Host` and list it in `allowedHosts`.
 *
 * @param options - host names to allow besides addresses and `localhost`
 * @returns The middleware.
 *
 * @example
 * ```ts
 * const server = createServer(router, {
 *   middleware: [refuseUnknownHosts({ allowedHosts: ['files.example.com'] })],
 * });
 * ```
 */
export function refuseUnknownHosts(options: RefuseUnknownHostsOptions = {}): Middleware {
  const allowed = allowedHostSet(options.allowedHosts ?? []);
  const hint = options.hint ?? 'list it in allowedHosts';
  return (next) => (request) => {
    const host = request.headers.get('host');
    if (host === undefined || knownHost(host, allowed)) return next(request);
    return Promise.resolve(
      respond(
        'forbidden',
        `Requests for the host ${JSON.stringify(host)} are not served here: it is no IP address, localhost or known name (${hint})`,
      ),
    );
  };
}

/** Host names as {@link knownHost} takes them: lower-case, in a set. */
export function allowedHostSet(names: readonly string[]): ReadonlySet<string> {
  return new Set(names.map((name) => name.toLowerCase()));
}

/**
 * Whether a `Host` field value names an IP address, `localhost` (or a subdomain of it) or one of
 * `allowedHosts` (names without port, from {@link allowedHostSet}): the rule of {@link refuseUnknownHosts}, for
 * transports that check it where no request is made, such as a WebSocket upgrade.
 */
export function knownHost(host: string, allowedHosts: ReadonlySet<string>): boolean {
  const name = hostName(host);
  return name !== undefined && (isKnown(name) || allowedHosts.has(name));
}

/** The host name of a `Host` field value, lower-case, without port or IPv6 brackets. */
function hostName(host: string): string | undefined {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? undefined : value.slice(1, end);
  }
  const colon = value.indexOf(':');
  const name = colon === -1 ? value : value.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Whether a host name is an IP address or `localhost` (or one of its subdomains). */
function isKnown(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name.includes(':')) return true; // an IPv6 address (names hold no colon)
  return IPV4.test(name);
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
