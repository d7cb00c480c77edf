import { ParleyError } from '@parley/core';
import { timerDelay } from '@parley/core/transport';
import mqttjs, { type IClientOptions, type IConnackPacket, type MqttClient } from 'mqtt';
import { limitIncomingPackets } from './client/packet-limit.js';
import { MQTT_MAX_PACKET_BYTES, type MqttSettings } from './options.js';
import { reasonCodeToStatus } from './status-map.js';
import { tracePackets } from './trace.js';
import type { MqttTarget } from './url.js';
import { batchWrites } from './write-batching.js';

/** A connection to the broker, with what was negotiated. */
export interface Session {
  /** The MQTT.js client (it reconnects by itself once connected). */
  readonly client: MqttClient;
  /** 5 for MQTT 5, 4 for MQTT 3.1.1. */
  readonly version: 4 | 5;
  /** The largest packet the broker takes: its CONNACK Maximum Packet Size, else MQTT's limit. */
  readonly maxPacketBytes: number;
  /** The largest body sent or taken: the `maxBodyBytes` option, at most `maxPacketBytes`. */
  readonly maxBodyBytes: number;
  /** Whether the broker offers shared subscriptions (MQTT 5 brokers, unless CONNACK says not). */
  readonly sharedSubscriptions: boolean;
}

/** The version each broker (`host:port`) accepted, so later connections skip the refused attempt. */
const acceptedVersions = new Map<string, 4 | 5>();

/** CONNACK codes that mean "not this protocol version": 3.1.1's 0x01, MQTT 5's 0x84. */
const VERSION_REFUSED = new Set([0x01, 0x84]);

/** Room in a packet besides the body: the topic (at most 65 535 bytes) and the properties. */
export const PACKET_OVERHEAD_BYTES = 256 * 1024;

/**
 * The largest packet the client takes: the largest body and room around it. MQTT 5's CONNECT
 * announces it; on MQTT 3.1.1, which cannot, a broker sending more has the connection cut.
 */
function maxPacketBytes(settings: MqttSettings): number {
  return Math.min(settings.maxBodyBytes + PACKET_OVERHEAD_BYTES, MQTT_MAX_PACKET_BYTES);
}

/** A fresh client id: `parley-` and 16 random hex digits. */
export function randomClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `parley-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Connects to the broker, speaking MQTT 5 when it does and MQTT 3.1.1 otherwise: a refused
 * MQTT 5 CONNECT is retried at once as 3.1.1.
 */
export async function openSession(
  target: MqttTarget,
  settings: MqttSettings,
  clientId: string,
  signal?: AbortSignal | undefined,
): Promise<Session> {
  const key = `${target.host}:${target.port}`;
  const first = acceptedVersions.get(key) ?? 5;
  try {
    return await attempt(target, settings, clientId, first, signal);
  } catch (error) {
    if (first !== 5 || !VERSION_REFUSED.has((error as { code?: unknown }).code as number))
      throw toParleyError(target, error);
    acceptedVersions.set(key, 4);
    try {
      return await attempt(target, settings, clientId, 4, signal);
    } catch (again) {
      throw toParleyError(target, again);
    }
  }
}

function attempt(
  target: MqttTarget,
  settings: MqttSettings,
  clientId: string,
  version: 4 | 5,
  signal: AbortSignal | undefined,
): Promise<Session> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  const client = mqttjs.connect({
    protocol: target.scheme,
    host: target.host,
    port: target.port,
    ...(target.scheme === 'ws' || target.scheme === 'wss' ? { path: settings.wsPath } : {}),
    clientId,
    ...(target.credentials === undefined
      ? {}
      : { username: target.credentials.username, password: target.credentials.password }),
    protocolVersion: version,
    clean: true,
    keepalive: settings.keepaliveSeconds,
    // MQTT.js sets timers for these: a longer one than a timer takes would fire at once.
    connectTimeout: timerDelay(settings.connectTimeoutMs),
    reconnectPeriod: 0,
    // Busy connections need no ping: no keep-alive timer reset for every packet.
    reschedulePings: false,
    // MQTT.js logs each step of each packet; unless DEBUG asks for it, skip even the calls.
    ...(debugging() ? {} : { log: noLog }),
    // MQTT 5: the broker drops messages larger than this instead of sending them to us, and
    // sends no more than Receive Maximum unacknowledged (MQTT.js cuts a connection whose broker
    // leaves more QoS 2 messages unreleased).
    ...(version === 5
      ? {
          properties: {
            sessionExpiryInterval: 0,
            maximumPacketSize: maxPacketBytes(settings),
            receiveMaximum: settings.receiveMaximum,
          },
        }
      : {}),
    ...((settings.tls ?? {}) as IClientOptions),
    // Connect only once the trace listens: CONNECT itself is written as the connection starts.
    manualConnect: true,
  });
  limitIncomingPackets(client, maxPacketBytes(settings), settings.qos);
  if (settings.trace !== undefined) tracePackets(client, settings.trace.hook, settings.trace.side, clientId);
  // Small request/reply packets must not wait for Nagle's algorithm (40 ms per exchange).
  client.on('connect', () => noDelay(client));
  batchWrites(client);
  client.connect();
  return new Promise((resolve, reject) => {
    const fail = (error: unknown): void => {
      cleanup();
      client.end(true);
      reject(error);
    };
    const closed = (): void => fail(new Error('The connection closed before the broker answered CONNECT'));
    // Dropping the attempt (the client closed meanwhile) fails it with the signal's reason.
    const aborted = (): void => fail(signal?.reason);
    const connected = (connack: IConnackPacket): void => {
      cleanup();
      client.on('error', () => {});
      client.on('close', () => dropUnacknowledged(client));
      client.options.reconnectPeriod = timerDelay(settings.reconnectPeriodMs);
      acceptedVersions.set(`${target.host}:${target.port}`, version);
      const maxPacketBytes = connack.properties?.maximumPacketSize ?? MQTT_MAX_PACKET_BYTES;
      resolve({
        client,
        version,
        maxPacketBytes,
        maxBodyBytes: Math.min(settings.maxBodyBytes, maxPacketBytes),
        sharedSubscriptions: version === 5 && connack.properties?.sharedSubscriptionAvailable !== false,
      });
    };
    const cleanup = (): void => {
      client.off('connect', connected);
      client.off('error', fail);
      client.off('close', closed);
      signal?.removeEventListener('abort', aborted);
    };
    client.once('connect', connected);
    client.once('error', fail);
    client.once('close', closed);
    signal?.addEventListener('abort', aborted, { once: true });
  });
}

/**
 * Turns a connection failure into a ParleyError: refusals by CONNACK code, the rest `unavailable`
 * (retryable, except a TLS certificate that failed verification).
 */
function toParleyError(target: MqttTarget, error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const where = `the MQTT broker at ${target.host}:${target.port}`;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') {
    const status = reasonCodeToStatus(code);
    return new ParleyError(status, `${where} refused the connection: ${message}`, {
      cause: error,
      retryable: status === 'unavailable' || status === 'too_many_requests',
    });
  }
  // A certificate that fails verification fails the same way next time: not retryable.
  const certificate = ParleyError.from(error);
  const refused = certificate.status === 'unavailable' && !certificate.retryable;
  return new ParleyError('unavailable', `Cannot reach ${where}: ${refused ? certificate.message : message}`, {
    cause: error,
    retryable: !refused,
  });
}

/**
 * Forgets the messages the broker had not acknowledged when the connection dropped, which
 * MQTT.js would otherwise publish again after reconnecting. A client's calls have failed
 * already (a retry is the caller's policy, not the library's); a server's callers time out or
 * retry. And a message the broker closes the connection for would otherwise be sent, and the
 * connection closed, after every reconnect, for good.
 */
function dropUnacknowledged(client: MqttClient): void {
  for (const id of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(id));
}

function noLog(): void {}

/** Whether `DEBUG` is set in the environment (never in browsers). */
function debugging(): boolean {
  const runtime = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return Boolean(runtime?.env?.DEBUG);
}

/** Turns off Nagle's algorithm on the client's TCP socket (TLS included), when it has one. */
function noDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (on: boolean) => void } | undefined;
  stream?.setNoDelay?.(true);
}
