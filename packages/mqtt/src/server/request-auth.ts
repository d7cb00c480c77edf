import { ParleyError, type Principal } from '@parley/core';
import type { ListenContext } from '@parley/core/transport';
import { findEmbedded } from '../broker/embedded-brokers.js';
import type { MqttSettings } from '../options.js';

/** Who sent a request, for a server that authenticates. */
export interface RequestAuth {
  /**
   * The principal of the client named by a request's reply topic (`undefined` for a plain
   * request): a principal, `undefined` when the broker vouches for the client without one, or
   * `null` when the request must be refused `unauthenticated`.
   */
  principalOf(requester: string | undefined): Principal | undefined | null;
  /** Stops checking CONNECT credentials for this server. */
  detach(): void;
}

/**
 * How a server with an `authenticate` hook knows its requesters, credentials never travelling
 * in messages: on an embedded broker of this process, the broker checks CONNECT with the hook
 * and remembers each client's principal; on another broker, only when `brokerAuthenticates`
 * says the broker checks CONNECT and its ACLs guard the request topics. `undefined` when the
 * server does not authenticate (and is not on an embedded broker, where it is made known as a
 * server all the same).
 */
export function requestAuth(
  context: ListenContext,
  settings: MqttSettings,
  clientId: string,
): RequestAuth | undefined {
  const authenticate = context.authenticate;
  const embedded = findEmbedded(clientId);
  // On an embedded broker every server is known by its client id, for the topics only servers
  // publish on; one without a hook checks no one.
  if (authenticate === undefined) {
    return embedded === undefined
      ? undefined
      : { principalOf: () => undefined, detach: embedded.attach(undefined, clientId) };
  }
  if (embedded !== undefined) {
    return {
      principalOf: (requester) =>
        requester === undefined ? null : (embedded.principalOf(requester) ?? null),
      detach: embedded.attach(authenticate, clientId),
    };
  }
  if (settings.brokerAuthenticates) return { principalOf: () => undefined, detach: () => {} };
  throw new ParleyError(
    'bad_request',
    'MQTT messages carry no credentials, so this server cannot check its clients on an external broker: ' +
      'configure the broker to authenticate clients at CONNECT and ACLs for the request topics, ' +
      'then set the brokerAuthenticates option (see docs/security.md)',
  );
}
