import type { ConnectionOptions } from 'node:tls';
import { ParleyError } from '@parley/core';
import { checkNumbers, type Trace } from '@parley/core/transport';

/**
 * Options of {@link mqtt}. One object configures both sides; every limit has a default (see
 * {@link MQTT_DEFAULTS}).
 */
export interface MqttOptions {
  /** QoS of requests, replies and events. Default: 1 (at least once). */
  qos?: 0 | 1 | 2 | undefined;
  /**
   * How long a client waits for a reply, in ms. A request that gets no reply in time fails with
   * a retryable `timeout` ParleyError. A request expires at its caller's deadline (the core
   * client's per-call `timeoutMs`, carried as `request.deadline`) or at the end of this wait,
   * whichever comes first: that is its MQTT 5 message expiry interval (rounded up to whole
   * seconds) and, in the 3.1.1 envelope, its absolute deadline, so a server never handles a
   * request its caller gave up on. Default: 30 000.
   */
  timeoutMs?: number | undefined;
  /** How long connecting to the broker may take, and how long a request waits for a lost connection to come back, in ms. Default: 10 000. */
  connectTimeoutMs?: number | undefined;
  /** The wait between reconnection attempts after the connection to the broker is lost, in ms. Default: 1 000. */
  reconnectPeriodMs?: number | undefined;
  /** The MQTT keep-alive interval, in seconds: at most 65 535 (0: none). Default: 30. */
  keepaliveSeconds?: number | undefined;
  /**
   * The largest body, in bytes, of a request, reply or event. A client refuses a larger request
   * body with `too_large` before publishing (as it does a message larger than the broker's
   * CONNACK Maximum Packet Size); a server answers a larger request `too_large` without handling
   * it, and on MQTT 5 announces the limit (plus room for the topic and properties) as the
   * Maximum Packet Size of its CONNECT, so the broker drops larger messages instead of sending
   * them. Default: 16 777 216 (16 MiB).
   */
  maxBodyBytes?: number | undefined;
  /** @deprecated The old name of {@link MqttOptions.maxBodyBytes}, used when that is not set. */
  maxPacketBytes?: number | undefined;
  /**
   * The shared subscription group of servers (`$share/<group>/...`): instances in one group
   * split the requests. Default: `parley-` and the prefix, `/` written as `_`.
   */
  group?: string | undefined;
  /** The most requests a server handles at once; more are answered `too_many_requests`. Default: 1 024. */
  maxInFlight?: number | undefined;
  /**
   * The most bytes of request bodies a server holds for the requests it handles at once (MQTT
   * has no flow control per message, so each request's body is in memory until it is answered);
   * a request that would take it past this is answered `too_many_requests`, except when no other
   * request is in flight. Default: 67 108 864 (64 MiB).
   */
  maxInFlightBytes?: number | undefined;
  /**
   * MQTT 5: the Receive Maximum of the connection's CONNECT, the most QoS 1 and QoS 2 messages
   * the broker may send it unacknowledged (for QoS 2: not yet released by PUBREL, each held in
   * memory until then). A broker that sends more QoS 2 messages than this unreleased has the
   * connection cut: calls waiting on it fail `unavailable`, and no more of them are kept. At most
   * 65 535 (MQTT 3.1.1 cannot announce one). Default: 100.
   */
  receiveMaximum?: number | undefined;
  /** The MQTT client id. Default: `parley-` and 16 random hex digits, new for each connection. */
  clientId?: string | undefined;
  /**
   * The path of the broker's WebSocket endpoint, for `ws://` and `wss://` URLs (whose own path is
   * the service prefix, as for `mqtt://`). Default: `/mqtt` (the embedded broker and mosquitto
   * take any path).
   */
  wsPath?: string | undefined;
  /** TLS options for `mqtts://` and `wss://` in Node.js (CA, client certificate...). Default: Node's defaults. */
  tls?: ConnectionOptions | undefined;
  /**
   * Servers on an external broker: whether the broker authenticates every client at CONNECT and
   * its ACLs decide who may publish requests. MQTT messages carry no credentials, so a server
   * with an `authenticate` hook cannot check requests itself; on the embedded broker it checks
   * CONNECT, elsewhere it refuses to listen unless this says the broker does the job (requests
   * then have no principal). Default: false.
   */
  brokerAuthenticates?: boolean | undefined;
  /**
   * Called with each message a server cannot handle as a request (a malformed envelope, a topic
   * that is no request), besides the `bad_request` reply it gets. Default: the server's
   * `onError` (see `createServer`).
   */
  onMessageError?: ((error: ParleyError, topic: string) => void) | undefined;
}

/** {@link MqttOptions} with every default filled in. */
export interface MqttSettings {
  readonly qos: 0 | 1 | 2;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnectPeriodMs: number;
  readonly keepaliveSeconds: number;
  readonly maxBodyBytes: number;
  readonly group: string | undefined;
  readonly maxInFlight: number;
  readonly maxInFlightBytes: number;
  readonly receiveMaximum: number;
  readonly clientId: string | undefined;
  readonly tls: ConnectionOptions | undefined;
  readonly wsPath: string;
  readonly brokerAuthenticates: boolean;
  readonly onMessageError: ((error: ParleyError, topic: string) => void) | undefined;
  /** Receives the packets of the connection, when a client or server traces. */
  readonly trace?: { readonly hook: Trace; readonly side: 'client' | 'server' } | undefined;
}

/** The longest keep-alive interval CONNECT carries, in seconds. */
const MAX_KEEPALIVE_SECONDS = 65_535;

/** MQTT's largest packet: a remaining length of 268 435 455 bytes. */
export const MQTT_MAX_PACKET_BYTES = 268_435_455;

/** The default of each {@link MqttOptions} limit. */
export const MQTT_DEFAULTS = {
  /** QoS of requests, replies and events. */
  qos: 1,
  /** Wait for a reply, in ms. */
  timeoutMs: 30_000,
  /** Connecting to the broker, in ms. */
  connectTimeoutMs: 10_000,
  /** Wait between reconnection attempts, in ms. */
  reconnectPeriodMs: 1_000,
  /** MQTT keep-alive, in seconds. */
  keepaliveSeconds: 30,
  /** Largest body, in bytes (16 MiB). */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Requests a server handles at once. */
  maxInFlight: 1_024,
  /** Bytes of request bodies a server holds at once (64 MiB). */
  maxInFlightBytes: 64 * 1024 * 1024,
  /** QoS 1 and 2 messages the broker may send unacknowledged (MQTT 5's Receive Maximum). */
  receiveMaximum: 100,
} as const;

/** The largest Receive Maximum CONNECT carries (two bytes). */
const MAX_RECEIVE_MAXIMUM = 65_535;

/** Fills in the defaults of {@link MqttOptions}. */
export function resolveOptions(options: MqttOptions = {}): MqttSettings {
  checkNumbers('MQTT', options, {
    timeoutMs: 'amount',
    connectTimeoutMs: 'amount',
    reconnectPeriodMs: 'amount',
    keepaliveSeconds: 'amount',
    maxBodyBytes: 'amount',
    maxPacketBytes: 'amount',
    maxInFlight: 'count',
    maxInFlightBytes: 'amount',
    receiveMaximum: 'count',
  });
  if (options.receiveMaximum !== undefined && options.receiveMaximum > MAX_RECEIVE_MAXIMUM)
    throw new ParleyError(
      'bad_request',
      `MQTT option receiveMaximum must be at most ${MAX_RECEIVE_MAXIMUM}, not ${options.receiveMaximum}`,
    );
  // CONNECT carries it in two bytes: a larger one makes a packet brokers refuse.
  if (options.keepaliveSeconds !== undefined && options.keepaliveSeconds > MAX_KEEPALIVE_SECONDS)
    throw new ParleyError(
      'bad_request',
      `MQTT option keepaliveSeconds must be at most ${MAX_KEEPALIVE_SECONDS}, not ${options.keepaliveSeconds}`,
    );
  return {
    qos: options.qos ?? MQTT_DEFAULTS.qos,
    timeoutMs: options.timeoutMs ?? MQTT_DEFAULTS.timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs ?? MQTT_DEFAULTS.connectTimeoutMs,
    reconnectPeriodMs: options.reconnectPeriodMs ?? MQTT_DEFAULTS.reconnectPeriodMs,
    keepaliveSeconds: options.keepaliveSeconds ?? MQTT_DEFAULTS.keepaliveSeconds,
    maxBodyBytes: Math.min(
      options.maxBodyBytes ?? options.maxPacketBytes ?? MQTT_DEFAULTS.maxBodyBytes,
      MQTT_MAX_PACKET_BYTES,
    ),
    group: options.group,
    maxInFlight: options.maxInFlight ?? MQTT_DEFAULTS.maxInFlight,
    maxInFlightBytes: options.maxInFlightBytes ?? MQTT_DEFAULTS.maxInFlightBytes,
    receiveMaximum: options.receiveMaximum ?? MQTT_DEFAULTS.receiveMaximum,
    clientId: options.clientId,
    tls: options.tls,
    wsPath: options.wsPath ?? '/mqtt',
    brokerAuthenticates: options.brokerAuthenticates ?? false,
    onMessageError: options.onMessageError,
  };
}
