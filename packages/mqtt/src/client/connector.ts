import {
  type AsyncQueue,
  Body,
  type BodyInit,
  type Connector,
  compilePattern,
  HeaderMap,
  type HeadersInit,
  ParleyError,
  type ParleyEvent,
  type Request,
  type Response,
  respond,
} from '@parley/core';
import { type EventQueueLimits, eventQueue } from '@parley/core/transport';
import type { IPublishPacket } from 'mqtt';
import { endSession } from '../end-session.js';
import type { MqttSettings } from '../options.js';
import { publishFailure } from '../publish-failure.js';
import { openSession, randomClientId, type Session } from '../session.js';
import { eventFilter, eventTopic, parseEventTopic, replyTopic, requestTopic } from '../topics.js';
import type { MqttTarget } from '../url.js';
import { whenConnected } from '../when-connected.js';
import {
  decodeEvent,
  decodeReply,
  encodeEvent,
  encodeRequest,
  ensureFits,
  type IncomingReply,
  type Outgoing,
} from '../wire.js';
import { disconnectReason } from './disconnect-reason.js';
import { PendingReplies } from './pending-replies.js';
import { untilClosed } from './until-closed.js';

/** MQTT 5's reason code 0x93, Receive Maximum exceeded, as MQTT.js's error carries it. */
const RECEIVE_MAXIMUM_EXCEEDED = 0x93;

/** A request ready to publish. */
interface RequestMessage {
  readonly id: string;
  readonly topic: string;
  readonly outgoing: Outgoing;
}

interface EventSubscription {
  readonly filter: string;
  readonly match: (path: string) => boolean;
  readonly queue: AsyncQueue<ParleyEvent>;
}

/** The client side over MQTT: one connection, its own reply topic, replies matched by correlation id. */
export class MqttConnector implements Connector {
  readonly #target: MqttTarget;
  readonly #settings: MqttSettings;
  readonly #clientId: string;
  readonly #replyTopic: string;
  readonly #pending: PendingReplies<IncomingReply>;
  readonly #subscriptions = new Set<EventSubscription>();
  #session: Promise<Session> | undefined;
  /** The session once connected and subscribed to the reply topic. */
  #live: Session | undefined;
  #next = 0;
  /**
   * Starts every correlation id of this connector: random, so that a reply sent ahead to a
   * reply topic someone knows (a fixed `clientId`) cannot guess the id of a call to come.
   */
  readonly #idStart = randomIdStart();
  #closed = false;
  /** Drops a connection attempt still under way when the client closes. */
  readonly #closing = new AbortController();
  /** Whether any reply came on this connection: a server listens on the prefix. */
  #answered = false;
  /** Why MQTT.js cut the connection, when it said so (until it connects again). */
  #cutFor: string | undefined;

  constructor(target: MqttTarget, settings: MqttSettings) {
    this.#target = target;
    this.#settings = settings;
    this.#clientId = settings.clientId ?? randomClientId();
    this.#replyTopic = replyTopic(target.prefix, this.#clientId);
    this.#pending = new PendingReplies(settings.timeoutMs, () => this.#noReply(settings.timeoutMs));
  }

  send(request: Request): Promise<Response> {
    const session = this.#live;
    const body = request.body.buffered;
    // The usual case goes straight to the wire, without waiting on anything.
    if (
      session === undefined ||
      body === undefined ||
      body.byteLength > session.maxBodyBytes ||
      !session.client.connected
    )
      return this.#sendWhenReady(request);
    try {
      return this.#exchange(session, request, this.#encode(session, request, body));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends a request once connected, its body read and the connection (back) up. */
  async #sendWhenReady(request: Request): Promise<Response> {
    const session = await this.#ready(request.signal);
    const body = await readBody(request.body, session.maxBodyBytes);
    const message = this.#encode(session, request, body);
    await whenConnected(session.client, request.signal, this.#settings.connectTimeoutMs);
    return this.#exchange(session, request, message);
  }

  /** The request's topic, message and correlation id; refused before publishing when too large. */
  #encode(session: Session, request: Request, body: Uint8Array): RequestMessage {
    const id = `${this.#idStart}${(++this.#next).toString(36)}`;
    const query = request.query.size > 0 ? request.query.toString() : undefined;
    const topic = requestTopic(this.#target.prefix, request.method, request.path, query);
    const timeoutMs = this.#settings.timeoutMs;
    const waitEnds = Date.now() + timeoutMs;
    const outgoing = encodeRequest(session.version, this.#settings.qos, {
      replyTo: this.#replyTopic,
      id,
      headers: request.headers,
      deadline: request.deadline === undefined ? waitEnds : Math.min(request.deadline, waitEnds),
      body,
    });
    ensureFits(topic, outgoing, session.maxPacketBytes);
    return { id, topic, outgoing };
  }

  async publish(path: string, body: BodyInit, headers?: HeadersInit): Promise<void> {
    const session = await this.#ready(undefined);
    const bytes = await Body.from(body).bytes({ limit: session.maxBodyBytes });
    const topic = eventTopic(this.#target.prefix, path);
    const outgoing = encodeEvent(session.version, this.#settings.qos, new HeaderMap(headers), bytes);
    ensureFits(topic, outgoing, session.maxPacketBytes);
    await whenConnected(session.client, undefined, this.#settings.connectTimeoutMs);
    try {
      await session.client.publishAsync(topic, outgoing.payload, outgoing.options);
    } catch (error) {
      throw this.#publishFailure(error);
    }
  }

  subscribe(pattern: string, signal: AbortSignal, limits?: EventQueueLimits): AsyncIterable<ParleyEvent> {
    const filter = eventFilter(this.#target.prefix, pattern);
    const compiled = compilePattern(pattern);
    const subscription: EventSubscription = {
      filter,
      match: (path) => compiled.match(path) !== undefined,
      queue: eventQueue({ ...limits, signal, onEnd: () => this.#unsubscribe(subscription) }),
    };
    this.#subscriptions.add(subscription);
    this.#ready(signal)
      .then((session) => session.client.subscribeAsync(filter, { qos: this.#settings.qos }))
      .catch((error: unknown) => subscription.queue.end(ParleyError.from(error)));
    return subscription.queue;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#live = undefined;
    const closed = new ParleyError('unavailable', 'The client was closed', { retryable: false });
    this.#closing.abort(closed);
    this.#failPending(closed);
    for (const subscription of this.#subscriptions) subscription.queue.end();
    const session = await this.#session?.catch(() => undefined);
    if (session !== undefined) await endSession(session.client);
  }

  /** Connects (once; again after a failed attempt) and subscribes to the reply topic. */
  #ready(signal: AbortSignal | undefined): Promise<Session> {
    if (this.#closed)
      return Promise.reject(new ParleyError('unavailable', 'The client was closed', { retryable: false }));
    if (signal?.aborted) return Promise.reject(ParleyError.from(signal.reason));
    this.#session ??= this.#start().catch((error: unknown) => {
      this.#session = undefined;
      throw error;
    });
    return this.#session;
  }

  async #start(): Promise<Session> {
    const session = await openSession(this.#target, this.#settings, this.#clientId, this.#closing.signal);
    const { client } = session;
    client.on('message', (topic, payload, packet) =>
      this.#onMessage(session.version, topic, payload, packet),
    );
    client.on('error', (error) => {
      if ((error as { code?: unknown }).code === RECEIVE_MAXIMUM_EXCEEDED)
        this.#cutFor = `The MQTT broker sent more QoS 2 messages unreleased than the Receive Maximum of ${this.#settings.receiveMaximum}: the connection was cut`;
    });
    // A broker that ends the connection says why (MQTT 5): every waiting call fails with it.
    client.on('disconnect', (packet) => {
      this.#cutFor ??= disconnectReason(packet);
    });
    client.on('close', () => {
      const why = this.#cutFor ?? 'The connection to the MQTT broker was lost before the reply came';
      this.#failPending(new ParleyError('unavailable', why, { retryable: true }));
    });
    client.on('connect', () => {
      this.#cutFor = undefined;
    });
    try {
      // A broker that never acknowledges it does not keep the client from closing.
      const granted = await untilClosed(
        client.subscribeAsync(this.#replyTopic, { qos: this.#settings.qos }),
        this.#closing.signal,
      );
      const code = granted[0]?.qos ?? 0x80;
      if (code >= 0x80)
        throw new ParleyError('forbidden', `The broker refused a subscription to ${this.#replyTopic}`);
    } catch (error) {
      client.end(true);
      throw ParleyError.from(error);
    }
    if (this.#closed) client.end(true);
    else this.#live = session;
    return session;
  }

  /**
   * Publishes a request and waits for its reply, the reply timeout or an abort. The signal is
   * read only if the wait lasts (see {@link PendingReplies}); the core client fails an aborted
   * call at once by itself.
   */
  #exchange(session: Session, request: Request, message: RequestMessage): Promise<Response> {
    const { id, topic, outgoing } = message;
    return new Promise<Response>((resolve, reject) => {
      this.#pending.add(
        id,
        (outcome) => {
          if (outcome instanceof ParleyError) reject(outcome);
          else resolve(respond(outcome.status, outcome.body, outcome.headers));
        },
        () => request.signal,
      );
      session.client.publish(topic, outgoing.payload, outgoing.options, (error) => {
        if (error) this.#pending.settle(id, this.#publishFailure(error));
      });
    });
  }

  /** Why a publish failed: the broker's reason for cutting the connection, when it gave one. */
  #publishFailure(error: unknown): ParleyError {
    const cut = this.#cutFor;
    return cut === undefined
      ? publishFailure(error)
      : new ParleyError('unavailable', cut, { retryable: true });
  }

  #onMessage(version: 4 | 5, topic: string, payload: Buffer, packet: IPublishPacket): void {
    try {
      if (topic === this.#replyTopic) {
        // A retained message is one the broker stored and hands every new subscription (after
        // a reconnect too), not a reply to a call made since: a live reply is never retained.
        if (packet.retain) return;
        const reply = decodeReply(payload, packet);
        if (reply !== undefined) {
          this.#answered = true;
          this.#pending.settle(reply.id, reply.refusal === undefined ? reply : unusableReply(reply.refusal));
        }
        return;
      }
      const path = parseEventTopic(this.#target.prefix, topic);
      if (path === undefined) return;
      let event: ParleyEvent | undefined;
      for (const subscription of this.#subscriptions) {
        if (!subscription.match(path)) continue;
        const { headers, body } = decodeEvent(version, payload, packet);
        event = { path, headers, body: Body.from(body) };
        subscription.queue.push(event);
      }
    } catch {
      // A malformed message is not ours to answer: it is dropped.
    }
  }

  #unsubscribe(subscription: EventSubscription): void {
    this.#subscriptions.delete(subscription);
    if ([...this.#subscriptions].some((other) => other.filter === subscription.filter)) return;
    this.#session
      ?.then((session) => session.client.unsubscribeAsync(subscription.filter))
      .catch(() => undefined);
  }

  /**
   * Until a first reply came on this connection, no server may listen on the prefix (a mistyped
   * one, or none running): a call that got no reply says so.
   */
  explainTimeout(waitedMs: number): string | undefined {
    if (this.#answered) return undefined;
    return (
      `No Parley server answered on prefix '${this.#target.prefix}' within ${formatWait(waitedMs)}; ` +
      'check the prefix and that a server is listening on it (or raise timeoutMs for a slower handler)'
    );
  }

  /** The error of an exchange whose reply wait (`timeoutMs`) passed. */
  #noReply(timeoutMs: number): ParleyError {
    const message = this.explainTimeout(timeoutMs) ?? `No reply within ${timeoutMs} ms`;
    return new ParleyError('timeout', message, { retryable: true });
  }

  #failPending(error: ParleyError): void {
    this.#pending.failAll(error);
  }
}

/** A wait in ms as people read it: `800 ms`, `30 s`, `1.5 s`. */
function formatWait(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} s`;
}

/** Reads a request body whole, refusing one larger than the broker takes with `too_large`. */
async function readBody(body: Body, maxBytes: number): Promise<Uint8Array> {
  const buffered = body.buffered;
  const size = buffered?.byteLength ?? body.size;
  if (size !== undefined && size > maxBytes) {
    await body.cancel();
    throw new ParleyError(
      'too_large',
      `The body is ${size} bytes; bodies of at most ${maxBytes} bytes are sent (maxBodyBytes, or the broker's maximum packet size)`,
    );
  }
  return buffered ?? (await body.bytes({ limit: maxBytes }));
}

/** The failure of a call whose reply holds header fields no transport may carry. */
function unusableReply(refusal: ParleyError): ParleyError {
  return new ParleyError('internal', `The server's reply cannot be read: ${refusal.message}`, {
    cause: refusal,
  });
}

/** Eight random bytes in hex, and a `-` before the counter that follows. */
function randomIdStart(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}-`;
}
