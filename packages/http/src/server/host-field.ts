import { sameFieldName } from '@parley/core/transport';

/** A Host field value: uri-host, then an optional `:port` (RFC 9110, 7.2): a reg-name, an IPv4 address or an IP literal in brackets. */
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]*)(?::[0-9]*)?$/;

/** The Host value last found good: the requests of a connection, and of most clients, send the same. */
let lastHost: string | undefined;

/**
 * Why a request's Host fields are refused with 400 (RFC 9112, 3.2): more than one, or a value
 * that is no host with an optional port (user info, a path, spaces). `undefined` when they pass
 * (node:http itself refuses an HTTP/1.1 request without one).
 *
 * @param raw - the request's `rawHeaders`
 */
export function hostFieldProblem(raw: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (!sameFieldName(raw[i] as string, 'host')) continue;
    if (value !== undefined) return 'A request carries one Host field, not several';
    value = raw[i + 1] as string;
  }
  if (value === undefined || value === lastHost) return undefined;
  if (HOST.test(value)) {
    lastHost = value;
    return undefined;
  }
  return `The Host field ${JSON.stringify(value)} is not a host name or address with an optional port`;
}
