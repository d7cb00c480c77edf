import { type Authenticate, ParleyError, type Principal } from '@parley/core';
import { AuthThrottle, type AuthThrottleOptions } from '@parley/core/transport';
import type { AuthenticateError, Client } from 'aedes';
import { decodeEnvelope, isEnvelope } from '../envelope.js';
import { replyTopicOwner } from '../topics.js';
import { filterMatches } from './filter-match.js';

/** CONNACK return codes of MQTT 3.1.1 (aedes speaks 3.1.1). */
const IDENTIFIER_REJECTED = 2;
const SERVER_UNAVAILABLE = 3;
const BAD_USER_NAME_OR_PASSWORD = 4;

const ID_IN_USE = 'The client id is in use by another connection';

type Done = (error: AuthenticateError | null, success: boolean | null) => void;

/**
 * Authentication on the embedded broker, at CONNECT: the broker's own `authenticate` hook
 * (throttled per address, and then every client must log in), else the hooks of the Parley
 * servers listening on it (a client that sends credentials must pass one; one without connects
 * anonymously, and those servers answer its requests `unauthenticated`). It remembers the
 * principal each client proved, for the servers, and keeps a client from naming another
 * authenticated client's reply topic in a request envelope, from reading another logged-in
 * client's replies, or from taking over the client id of a connected server or of a connected
 * client logged in as someone else (CONNACK 2).
 */
export class BrokerAuth {
  readonly #own: Authenticate | undefined;
  readonly #attached = new Set<Authenticate>();
  readonly #principals = new Map<string, { readonly client: Client; readonly principal: Principal }>();
  /** The client ids of the attached servers, with how many times each is attached. */
  readonly #servers = new Map<string, number>();
  /** Topic filters only attached servers publish on. */
  readonly #serverOnly: readonly string[];

  constructor(
    own: Authenticate | undefined,
    throttle: AuthThrottleOptions | false | undefined,
    serverOnly: readonly string[],
  ) {
    this.#own = own && throttle !== false ? new AuthThrottle(throttle).wrap(own) : own;
    this.#serverOnly = serverOnly;
  }

  /**
   * Adds a server's hook, if it has one (it is throttled by its server), and its client id, which
   * may answer on logged-in clients' reply topics and publish on server-only topics; the returned
   * function removes both.
   */
  attach(authenticate: Authenticate | undefined, serverId: string): () => void {
    if (authenticate !== undefined) this.#attached.add(authenticate);
    this.#servers.set(serverId, (this.#servers.get(serverId) ?? 0) + 1);
    return () => {
      if (authenticate !== undefined) this.#attached.delete(authenticate);
      const count = this.#servers.get(serverId) ?? 0;
      if (count > 1) this.#servers.set(serverId, count - 1);
      else this.#servers.delete(serverId);
    };
  }

  /** The principal the connected client `clientId` proved, if any. */
  principalOf(clientId: string): Principal | undefined {
    return this.#principals.get(clientId)?.principal;
  }

  /** Forgets a client that disconnected (unless another connection took its id over). */
  forget(client: Client): void {
    if (this.#principals.get(client.id)?.client === client) this.#principals.delete(client.id);
  }

  /** The aedes `authenticate` handler. */
  readonly authenticate = (
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: Done,
  ): void => {
    const hooks = this.#own ? [this.#own] : [...this.#attached];
    if (hooks.length === 0 || (username === undefined && this.#own === undefined)) {
      if (this.#idTaken(client, undefined)) {
        done(refusal(IDENTIFIER_REJECTED, ID_IN_USE), false);
        return;
      }
      this.#principals.delete(client.id);
      done(null, true);
      return;
    }
    if (username === undefined) {
      done(refusal(BAD_USER_NAME_OR_PASSWORD, 'Bad user name or password'), false);
      return;
    }
    const credentials = { kind: 'password' as const, username, password: password?.toString() ?? '' };
    const peer = { protocol: 'mqtt', address: remoteAddress(client) };
    firstPrincipal(hooks, credentials, peer).then(
      (principal) => {
        if (principal === undefined) {
          done(refusal(BAD_USER_NAME_OR_PASSWORD, 'Bad user name or password'), false);
          return;
        }
        if (this.#idTaken(client, principal)) {
          done(refusal(IDENTIFIER_REJECTED, ID_IN_USE), false);
          return;
        }
        this.#principals.set(client.id, { client, principal });
        done(null, true);
      },
      (error: unknown) => done(refusal(SERVER_UNAVAILABLE, ParleyError.from(error).message), false),
    );
  };

  /**
   * Whether `client` asks for the id of another connection that is an attached server, or a
   * client logged in as someone else than `principal`: taking it over would hand it that
   * connection's replies, or let it answer in a server's name.
   */
  #idTaken(client: Client, principal: Principal | undefined): boolean {
    const { broker } = client as unknown as { broker: { clients: Record<string, Client | undefined> } };
    const holder = broker.clients[client.id];
    if (holder === undefined || holder === client) return false;
    if (this.#servers.has(client.id)) return true;
    const owner = this.#principals.get(client.id);
    return owner !== undefined && owner.principal.name !== principal?.name;
  }

  /**
   * The aedes `authorizePublish` handler: no `$SYS` topics, no borrowed reply topics, no
   * message on a logged-in client's reply topic but from an attached server (or that client),
   * and none on a server-only topic but from an attached server.
   */
  readonly authorizePublish = (
    client: Client | null,
    packet: { topic: string; payload: unknown },
    done: (error?: Error | null) => void,
  ): void => {
    if (packet.topic.startsWith('$SYS')) {
      done(new Error('$SYS topics are reserved'));
      return;
    }
    if (client !== null && this.#answersForAnother(client, packet.topic)) {
      done(new Error(`Only a server answers on the reply topic ${packet.topic}`));
      return;
    }
    if (client !== null && !this.#servers.has(client.id) && this.#serverOnlyTopic(packet.topic)) {
      done(new Error(`Only a server publishes on ${packet.topic}`));
      return;
    }
    const owner = client === null ? undefined : this.#borrowedReplyTopic(client, packet.payload);
    done(owner === undefined ? null : new Error(`The reply topic of ${owner} is not the sender's`));
  };

  /**
   * The aedes `authorizeForward` handler: a message on a logged-in client's reply topic reaches
   * that client alone (and the attached servers), whatever filter another client subscribed
   * with (`<prefix>/reply/#`, `#`): no one reads another's answers.
   */
  readonly authorizeForward = <T extends { topic: string }>(client: Client, packet: T): T | null => {
    if (this.#principals.size === 0 || this.#servers.has(client.id)) return packet;
    const topic = packet.topic;
    const owner = replyTopicOwner(topic);
    if (owner === client.id || !this.#principals.has(owner) || !topic.endsWith(`/reply/${owner}`))
      return packet;
    return null;
  };

  #serverOnlyTopic(topic: string): boolean {
    for (const filter of this.#serverOnly) if (filterMatches(filter, topic)) return true;
    return false;
  }

  /** Whether a client that is not an attached server publishes on another logged-in client's reply topic. */
  #answersForAnother(client: Client, topic: string): boolean {
    if (this.#principals.size === 0 || this.#servers.has(client.id)) return false;
    const owner = replyTopicOwner(topic);
    return owner !== client.id && this.#principals.has(owner) && topic.endsWith(`/reply/${owner}`);
  }

  /** The other authenticated client whose reply topic an envelope names, if it does. */
  #borrowedReplyTopic(client: Client, payload: unknown): string | undefined {
    if (this.#principals.size === 0 || !Buffer.isBuffer(payload) || !isEnvelope(payload)) return undefined;
    let replyTo: string | undefined;
    try {
      replyTo = decodeEnvelope(payload).header.replyTo;
    } catch {
      return undefined; // The server answers a malformed envelope with bad_request.
    }
    const owner = replyTo === undefined ? undefined : replyTopicOwner(replyTo);
    return owner !== undefined && owner !== client.id && this.#principals.has(owner) ? owner : undefined;
  }
}

/** The principal of the first hook that accepts the credentials; a hook that throws (a throttled address) ends the search. */
async function firstPrincipal(
  hooks: readonly Authenticate[],
  credentials: Parameters<Authenticate>[0],
  peer: Parameters<Authenticate>[1],
): Promise<Principal | undefined> {
  for (const hook of hooks) {
    const principal = await hook(credentials, peer);
    if (principal) return principal;
  }
  return undefined;
}

function refusal(returnCode: number, message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

/** The client's remote address: its socket's, or for WebSocket clients the upgrade request's. */
function remoteAddress(client: Client): string | undefined {
  const withReq = client as Client & { req?: { socket?: { remoteAddress?: string } } };
  const conn = client.conn as { remoteAddress?: string };
  return withReq.req?.socket?.remoteAddress ?? conn.remoteAddress;
}
