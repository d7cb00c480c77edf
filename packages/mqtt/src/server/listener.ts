import {
  Body,
  type BodyInit,
  createRequest,
  HeaderMap,
  type HeadersInit,
  ParleyError,
  type Principal,
  type Request,
  type Response,
  respond,
} from '@parley/core';
import { DrainTracker, type ListenContext, type Listener, serveRequest } from '@parley/core/transport';
import type { IPublishPacket } from 'mqtt';
import { endSession } from '../end-session.js';
import { isMqttText } from '../mqtt-text.js';
import type { MqttSettings } from '../options.js';
import { publishFailure } from '../publish-failure.js';
import { openSession, randomClientId, type Session } from '../session.js';
import { SteadyMap } from '../steady-collections.js';
import {
  defaultGroup,
  eventTopic,
  isReplyTopic,
  parseRequestTopic,
  plainReplyTopic,
  replyTopicOwner,
  requestFilters,
} from '../topics.js';
import type { MqttTarget } from '../url.js';
import { whenConnected } from '../when-connected.js';
import { decodeRequest, encodeEvent, encodeReply, ensureFits, type IncomingRequest } from '../wire.js';
import { type RequestAuth, requestAuth } from './request-auth.js';
import { type RequestSignal, RequestSignals } from './request-signals.js';

/**
 * Starts the server side: a broker client subscribed to the request topics (a shared
 * subscription when the broker offers them) that answers each request on its reply topic.
 */
export async function listenMqtt(
  target: MqttTarget,
  settings: MqttSettings,
  context: ListenContext,
): Promise<Listener> {
  const clientId = settings.clientId ?? randomClientId();
  const session = await openSession(target, settings, clientId);
  const group = session.sharedSubscriptions ? (settings.group ?? defaultGroup(target.prefix)) : undefined;
  const filters = requestFilters(target.prefix, group);
  let auth: RequestAuth | undefined;
  let responder: Responder;
  try {
    auth = requestAuth(context, settings, clientId);
    responder = new Responder(target, settings, context, session, auth);
    session.client.on('message', (topic, payload, packet) => responder.receive(topic, payload, packet));
    const granted = await session.client.subscribeAsync(filters, { qos: settings.qos });
    if (granted.some((grant) => grant.qos >= 0x80)) {
      throw new ParleyError('forbidden', `The broker refused a subscription to ${filters.join(', ')}`);
    }
  } catch (error) {
    auth?.detach();
    session.client.end(true);
    throw ParleyError.from(error);
  }
  let stopped: Promise<void> | undefined;
  const stopAccepting = (): Promise<void> => {
    stopped ??= session.client.unsubscribeAsync(filters).then(
      () => undefined,
      () => undefined,
    );
    return stopped;
  };
  return {
    url: target.url,
    stopAccepting,
    async close(deadline) {
      await stopAccepting();
      await responder.close(deadline);
    },
    events: {
      async publish(path: string, body: BodyInit, headers?: HeadersInit) {
        const bytes = await Body.from(body).bytes({ limit: session.maxBodyBytes });
        const topic = eventTopic(target.prefix, path);
        const outgoing = encodeEvent(session.version, settings.qos, new HeaderMap(headers), bytes);
        ensureFits(topic, outgoing, session.maxPacketBytes);
        await whenConnected(session.client, undefined, settings.connectTimeoutMs);
        await session.client
          .publishAsync(topic, outgoing.payload, outgoing.options)
          .catch((error: unknown) => {
            throw publishFailure(error);
          });
      },
    },
  };
}

/** Turns request messages into Requests, hands them to the handler and publishes the replies. */
class Responder {
  readonly #target: MqttTarget;
  readonly #settings: MqttSettings;
  readonly #context: ListenContext;
  readonly #session: Session;
  readonly #auth: RequestAuth | undefined;
  readonly #signals = new RequestSignals();
  readonly #inFlight = new DrainTracker();
  /** Bytes of the bodies of the requests in flight (see `maxInFlightBytes`). */
  #inFlightBytes = 0;
  /** The requests handed to the handler and not answered yet, with their signals' release. */
  readonly #unanswered = new SteadyMap<IncomingRequest, RequestSignal>();
  #cutOff = false;
  /** `<prefix>/reply/`: the start of the usual reply topics (see {@link requester}). */
  readonly #replyPrefix: string;

  constructor(
    target: MqttTarget,
    settings: MqttSettings,
    context: ListenContext,
    session: Session,
    auth: RequestAuth | undefined,
  ) {
    this.#target = target;
    this.#settings = settings;
    this.#context = context;
    this.#session = session;
    this.#auth = auth;
    this.#replyPrefix = `${target.prefix}/reply/`;
  }

  /** Takes one message off the request topics. */
  receive(topic: string, payload: Buffer, packet: IPublishPacket): void {
    if (this.#cutOff) return;
    if (packet.retain) {
      // Handed over from the broker's store on subscribing: run once already, or its caller is gone.
      const refusal = new ParleyError('bad_request', 'A retained message is not run again as a request');
      this.#reportRefusal(refusal, topic);
      return;
    }
    if (!isMqttText(topic)) {
      this.#refuseTopic(topic, payload, packet);
      return;
    }
    const prefix = this.#target.prefix;
    let incoming: IncomingRequest;
    try {
      incoming = decodeRequest(payload, packet, () => plainReplyTopic(prefix, topic));
    } catch (error) {
      // A malformed envelope: reported, and answered on the plain reply topic (when there can be
      // one: that of a topic near the longest is longer still).
      const refusal = ParleyError.from(error);
      this.#reportRefusal(refusal, topic);
      const replyTo = plainReplyTopic(prefix, topic);
      if (isReplyTopic(replyTo)) this.#reply(plainRequest(replyTo), respond('bad_request', refusal.message));
      return;
    }
    if (incoming.deadline !== undefined && incoming.deadline <= Date.now()) return; // Its caller gave up.
    if (incoming.refusal !== undefined) {
      this.#reportRefusal(incoming.refusal, topic);
      this.#reply(incoming, respond('bad_request', incoming.refusal.message));
      return;
    }
    if (incoming.body.byteLength > this.#session.maxBodyBytes) {
      const limit = this.#session.maxBodyBytes;
      this.#reply(incoming, respond('too_large', `The body is over ${limit} bytes (maxBodyBytes)`));
      return;
    }
    if (this.#inFlight.inFlight >= this.#settings.maxInFlight) {
      this.#reply(
        incoming,
        respond('too_many_requests', `More than ${this.#settings.maxInFlight} requests in flight`),
      );
      return;
    }
    const bytes = incoming.body.byteLength;
    if (this.#inFlightBytes > 0 && this.#inFlightBytes + bytes > this.#settings.maxInFlightBytes) {
      const limit = this.#settings.maxInFlightBytes;
      this.#reply(
        incoming,
        respond('too_many_requests', `The requests in flight hold over ${limit} bytes (maxInFlightBytes)`),
      );
      return;
    }
    this.#inFlightBytes += bytes;
    this.#inFlight.countIn();
    this.#answer(topic, incoming);
  }

  /** Counts a request out of flight once answered, with the bytes of its body. */
  #countOut(incoming: IncomingRequest): void {
    this.#inFlightBytes -= incoming.body.byteLength;
    this.#inFlight.countOut();
  }

  /** Lets requests in flight finish until `deadline`, cuts the rest off, then disconnects. */
  async close(deadline: AbortSignal): Promise<void> {
    await this.#inFlight.drained(deadline);
    this.#cutOff = true;
    this.#auth?.detach();
    this.#signals.cutOff(new ParleyError('unavailable', 'The server shut down'));
    await this.#inFlight.drained(AbortSignal.timeout(250));
    // Handlers that ignored the signal: their callers hear it now, not at their own deadline.
    const gone = respond('unavailable', 'The server shut down before the request finished');
    for (const [incoming, requestSignal] of this.#unanswered)
      this.#publishReply(incoming, gone, undefined, () => {
        requestSignal.release();
        this.#countOut(incoming);
      });
    this.#unanswered.clear();
    await endSession(this.#session.client);
  }

  /**
   * Serves a request counted in flight: its response goes to {@link #replied}, and a request
   * refused before the handler is answered at once (either way it is counted out once answered).
   */
  #answer(topic: string, incoming: IncomingRequest): void {
    let route: ReturnType<typeof parseRequestTopic>;
    try {
      route = parseRequestTopic(this.#target.prefix, topic);
    } catch (error) {
      this.#refuse(incoming, this.#failure(error, incoming));
      return;
    }
    if (route === undefined) {
      this.#refuse(incoming, respond('not_found', `No method in the topic ${topic}`));
      return;
    }
    let principal: Principal | undefined;
    if (this.#auth !== undefined) {
      const found = this.#auth.principalOf(incoming.plain ? undefined : replyTopicOwner(incoming.replyTo));
      if (found === null) {
        this.#refuse(incoming, respond('unauthenticated', UNAUTHENTICATED));
        return;
      }
      principal = found;
    }
    const requestSignal = this.#signals.open(incoming.deadline);
    let request: Request;
    try {
      request = createRequest({
        method: route.method,
        path: route.path,
        headers: incoming.headers,
        body: incoming.body,
        signal: requestSignal.signal,
        deadline: incoming.deadline,
        peer: { protocol: 'mqtt', address: requester(this.#replyPrefix, incoming.replyTo), principal },
      });
    } catch (error) {
      requestSignal.release();
      this.#refuse(incoming, this.#failure(error, incoming));
      return;
    }
    this.#unanswered.set(incoming, requestSignal);
    // The response comes back through the sink, without a promise of this listener's own.
    serveRequest(this.#context, request, {
      respond: (response) => this.#replied(incoming, response, requestSignal),
    });
  }

  /** Answers a request refused before its handler ran, and counts it out of flight. */
  #refuse(incoming: IncomingRequest, response: Response): void {
    this.#publishReply(incoming, response, undefined, () => this.#countOut(incoming));
  }

  /**
   * The handler's response: published at once when its body is buffered within the limit, else
   * once read; then the request's signal is released and the request counted out of flight.
   */
  #replied(incoming: IncomingRequest, response: Response, requestSignal: RequestSignal): void {
    if (!this.#unanswered.delete(incoming)) {
      // Answered `unavailable` when the server shut down: the caller has moved on.
      response.body.cancel().catch(() => undefined);
      return;
    }
    const done = (): void => {
      requestSignal.release();
      this.#countOut(incoming);
    };
    if (this.#cutOff) {
      const unavailable = respond('unavailable', 'The server shut down before the request finished');
      response.body.cancel().then(
        () => this.#publishReply(incoming, unavailable, undefined, done),
        (error: unknown) => this.#publishReply(incoming, this.#failure(error, incoming), undefined, done),
      );
      return;
    }
    const limit = this.#session.maxBodyBytes;
    const buffered = response.body.buffered;
    if (buffered !== undefined && buffered.byteLength <= limit) {
      this.#publishReply(incoming, response, buffered, done);
      return;
    }
    response.body.bytes({ limit }).then(
      (body) => this.#publishReply(incoming, response, body, done),
      (error: unknown) => this.#publishReply(incoming, this.#failure(error, incoming), undefined, done),
    );
  }

  /**
   * The reply to a failure of the handler's response (its body failed, or could not be sent): a
   * fault of the server or the handler is reported to `onError` and answered `internal` without
   * its text, which stays on the server (a path, a stack), as over every transport.
   */
  #failure(error: unknown, incoming: IncomingRequest): Response {
    const parley = ParleyError.from(error);
    if (parley.status !== 'internal' && parley.status !== 'unsupported')
      return respond(parley.status, parley.message);
    this.#context.onError?.(parley, `MQTT: answering on ${incoming.replyTo}`);
    return respond('internal', 'Internal error');
  }

  /**
   * Publishes a reply (a failure to publish it becomes a failure reply, and a failure of that
   * goes to the server's `onError`), then calls `done`.
   */
  #publishReply(
    incoming: IncomingRequest,
    response: Response,
    body: Uint8Array | undefined,
    done: () => void,
  ): void {
    try {
      this.#reply(incoming, response, body);
    } catch (error) {
      try {
        this.#reply(incoming, this.#failure(error, incoming));
      } catch (again) {
        this.#context.onError?.(ParleyError.from(again), `MQTT: replying on ${incoming.replyTo}`);
      }
    } finally {
      done();
    }
  }

  /** Publishes a reply; one that is too large for the broker becomes a `too_large` reply. */
  #reply(incoming: IncomingRequest, response: Response, body?: Uint8Array): void {
    const qos = this.#settings.qos;
    let outgoing = encodeReply(
      incoming,
      qos,
      response.status,
      response.headers,
      body ?? bufferedOf(response),
    );
    try {
      ensureFits(incoming.replyTo, outgoing, this.#session.maxPacketBytes);
    } catch (error) {
      const message = ParleyError.from(error).message;
      outgoing = encodeReply(
        incoming,
        qos,
        'too_large',
        new HeaderMap(),
        Buffer.from(`The reply is too large: ${message}`),
      );
    }
    this.#session.client.publish(incoming.replyTo, outgoing.payload, outgoing.options, (error) => {
      if (error && !this.#cutOff)
        this.#context.onError?.(publishFailure(error), `MQTT: replying on ${incoming.replyTo}`);
    });
  }

  /**
   * Refuses a message whose topic holds what MQTT forbids in a topic name (U+0000, which the
   * embedded broker lets through) or control characters: not served, and answered `bad_request`
   * only on a reply topic the message names (Response Topic or envelope), never on a plain reply
   * topic made of its own, which no broker takes either.
   */
  #refuseTopic(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const refusal = new ParleyError(
      'bad_request',
      'The request topic holds characters MQTT forbids in a topic name (NUL) or control characters',
    );
    this.#reportRefusal(refusal, topic);
    let incoming: IncomingRequest;
    try {
      incoming = decodeRequest(payload, packet, () => {
        throw refusal;
      });
    } catch {
      return;
    }
    this.#reply(incoming, respond('bad_request', refusal.message));
  }

  /** Reports a message that is no request: to `onMessageError` when set, else to the server. */
  #reportRefusal(refusal: ParleyError, topic: string): void {
    if (this.#settings.onMessageError !== undefined) this.#settings.onMessageError(refusal, topic);
    else this.#context.onError?.(refusal, `MQTT: refusing a message on ${topic}`);
  }
}

const UNAUTHENTICATED =
  'This server requires authentication: connect to the broker with a user name and password it accepts';

/** A stand-in request answered on the plain reply topic (for messages that are no request). */
function plainRequest(replyTo: string): IncomingRequest {
  return {
    replyTo,
    correlation: undefined,
    headers: new HeaderMap(),
    deadline: undefined,
    body: Buffer.alloc(0),
    envelope: false,
    plain: true,
  };
}

function bufferedOf(response: Response): Uint8Array {
  return response.body.buffered ?? new Uint8Array(0);
}

/** The requester's client id when its reply topic is the usual `<prefix>/reply/<id>` (`usual` is `<prefix>/reply/`), else the reply topic. */
function requester(usual: string, replyTo: string): string {
  return replyTo.startsWith(usual) ? replyTo.slice(usual.length) : replyTo;
}
