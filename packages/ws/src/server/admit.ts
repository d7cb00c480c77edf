import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ParleyError, type Principal } from '@parley/core';
import { type GateRefusal, knownHost, type ListenContext, parseAuthorization } from '@parley/core/transport';
import type { WsSettings } from '../options.js';
import { UPGRADE_STATUS_CODES } from '../status-map.js';
import { refuseUpgrade } from './refuse.js';

/** Why an upgrade was refused: the HTTP code, a message and extra header fields. */
export interface Refusal {
  readonly code: number;
  readonly message: string;
  readonly fields?: Readonly<Record<string, string>> | undefined;
}

/**
 * Whether a browser's `Origin` may open a connection: always when there is none (clients
 * other than browsers send none), when it is in `origins` (or `origins` holds `'*'`), and by
 * default when it names the host the request was sent to.
 */
export function originAllowed(request: IncomingMessage, origins: readonly string[] | undefined): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (origins !== undefined) return origins.includes('*') || origins.includes(origin);
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** Whether an upgrade's `Host` passes `allowedHosts` (see `WsOptions.allowedHosts`, made with core's `allowedHostSet`); any does without it. */
export function hostAllowed(
  request: IncomingMessage,
  allowedHosts: ReadonlySet<string> | undefined,
): boolean {
  if (allowedHosts === undefined) return true;
  const host = request.headers.host;
  return host !== undefined && knownHost(host, allowedHosts);
}

/**
 * Authenticates an upgrade through the server's `authenticate` hook, with the credentials of
 * its `Authorization` field. Refused credentials are 401; a hook that throws a
 * `too_many_requests` ParleyError (the auth throttle) is 429 with `Retry-After` from its
 * `retryAfterMs`, when it has one.
 */
export async function authenticateUpgrade(
  request: IncomingMessage,
  context: ListenContext,
): Promise<{ readonly principal: Principal | undefined } | Refusal> {
  const authenticate = context.authenticate;
  if (authenticate === undefined) return { principal: undefined };
  const credentials = parseAuthorization(request.headers.authorization);
  const peer = { protocol: 'ws', address: request.socket.remoteAddress };
  try {
    const principal = credentials === undefined ? null : await authenticate(credentials, peer);
    if (principal !== null) return { principal };
    return {
      code: 401,
      message: 'Credentials required or refused',
      fields: { 'www-authenticate': 'Basic realm="parley"' },
    };
  } catch (error) {
    const failure = ParleyError.from(error);
    const code = UPGRADE_STATUS_CODES[failure.status] ?? 500;
    const retryAfterMs = (failure as { retryAfterMs?: unknown }).retryAfterMs;
    const fields: Record<string, string> = {};
    if (code === 429 && typeof retryAfterMs === 'number' && retryAfterMs >= 0)
      fields['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
    if (code === 500) context.onError?.(failure, 'WebSocket: authenticating an upgrade');
    const message = code === 500 ? 'Authentication failed' : failure.message;
    return { code, message, fields };
  }
}

/** Sends a {@link Refusal}. */
export function refuse(socket: Duplex, refusal: Refusal): void {
  refuseUpgrade(socket, refusal.code, refusal.message, refusal.fields);
}

/** The refusal of an upgrade the connection gate turned away: 503 over the total, 429 over an address's share. */
export function gateRefusal(settings: WsSettings, refusal: GateRefusal): Refusal {
  if (refusal === 'total')
    return { code: 503, message: `More than ${settings.maxConnections} connections are open` };
  return {
    code: 429,
    message: `More than ${settings.maxConnectionsPerAddress} connections are open from this address`,
  };
}
