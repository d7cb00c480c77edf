import type { ConnectionOptions } from 'node:tls';
import type { Trace } from '@parley/core';

/** Options of {@link mqtt}. */
export interface MqttOptions {
  /** QoS of requests, replies and events. Default: 1 (at least once). */
  qos?: 0 | 1 | 2;
  /**
   * How long a client waits for a reply, in ms. A request that gets no reply in time fails with
   * a retryable `timeout` ParleyError. A request expires at its caller's deadline (the core
   * client's per-call `timeoutMs`, carried as `request.deadline`) or at the end of this wait,
   * whichever comes first: that is its MQTT 5 message expiry interval (rounded up to whole
   * seconds) and, in the 3.1.1 envelope, its absolute deadline, so a server never handles a
   * request its caller gave up on. Default: 30 000.
   */
  timeoutMs?: number;
  /** How long connecting to the broker may take, and how long a request waits for a lost connection to come back, in ms. Default: 10 000. */
  connectTimeoutMs?: number;
  /** The wait between reconnection attempts after the connection to the broker is lost, in ms. Default: 1 000. */
  reconnectPeriodMs?: number;
  /** The MQTT keep-alive interval, in seconds. Default: 30. */
  keepaliveSeconds?: number;
  /**
   * The largest packet the broker takes, in bytes, used when the broker does not say (MQTT 5
   * brokers may announce a Maximum Packet Size in CONNACK, which wins when smaller). Bodies
   * that would not fit are refused with `too_large` before anything is published.
   * Default: 268 435 455 (MQTT's own limit; mosquitto's and aedes's default).
   */
  maxPacketBytes?: number;
  /**
   * The shared subscription group of servers (`$share/<group>/...`): instances in one group
   * split the requests. Default: `parley-` and the prefix, `/` written as `_`.
   */
  group?: string;
  /** The most requests a server handles at once; more are answered `too_many_requests`. Default: 1 024. */
  maxInFlight?: number;
  /** The MQTT client id. Default: `parley-` and 16 random hex digits, new for each connection. */
  clientId?: string;
  /** TLS options for `mqtts://` (CA, client certificate...). Default: Node's defaults. */
  tls?: ConnectionOptions;
}

/** {@link MqttOptions} with every default filled in. */
export interface MqttSettings {
  readonly qos: 0 | 1 | 2;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly reconnectPeriodMs: number;
  readonly keepaliveSeconds: number;
  readonly maxPacketBytes: number;
  readonly group: string | undefined;
  readonly maxInFlight: number;
  readonly clientId: string | undefined;
  readonly tls: ConnectionOptions | undefined;
  /** Receives the packets of the connection, when a client or server traces. */
  readonly trace?: { readonly hook: Trace; readonly side: 'client' | 'server' } | undefined;
}

/** MQTT's largest packet: a remaining length of 268 435 455 bytes. */
export const MQTT_MAX_PACKET_BYTES = 268_435_455;

/** Fills in the defaults of {@link MqttOptions}. */
export function resolveOptions(options: MqttOptions = {}): MqttSettings {
  return {
    qos: options.qos ?? 1,
    timeoutMs: options.timeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    reconnectPeriodMs: options.reconnectPeriodMs ?? 1_000,
    keepaliveSeconds: options.keepaliveSeconds ?? 30,
    maxPacketBytes: options.maxPacketBytes ?? MQTT_MAX_PACKET_BYTES,
    group: options.group,
    maxInFlight: options.maxInFlight ?? 1_024,
    clientId: options.clientId,
    tls: options.tls,
  };
}
