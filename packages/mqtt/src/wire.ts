import { HeaderMap, ParleyError, STATUSES, type Status } from '@parley/core';
import type { IClientPublishOptions, IPublishPacket } from 'mqtt';
import { utf8Bytes, utf8Length, utf8Text } from './bytes.js';
import { decodeEnvelope, type EnvelopeHeader, encodeEnvelope, isEnvelope } from './envelope.js';
import { fitUserProperties } from './mqtt-text.js';
import { correlationBytes, publishBytes } from './publish-bytes.js';
import { MQTT_STATUS_MAP, replyStatus } from './status-map.js';
import { isReplyTopic } from './topics.js';

type UserProperties = Record<string, string | string[]>;

/** A message ready to publish: payload and publish options. */
export interface Outgoing {
  /** The bytes to publish. */
  readonly payload: Buffer;
  /** QoS and MQTT 5 properties. */
  readonly options: IClientPublishOptions;
}

/** A request as read from a message, whichever way it travelled. */
export interface IncomingRequest {
  /** Where the reply goes. */
  readonly replyTo: string;
  /** The correlation data to echo (MQTT 5), if any. */
  readonly correlation: Buffer | undefined;
  /** The envelope's correlation id to echo (3.1.1), if any. */
  readonly id?: string | undefined;
  /** Header fields (none when {@link IncomingRequest.refusal} is set). */
  readonly headers: HeaderMap;
  /** Why the request is refused before it is served: header fields no transport may carry. */
  readonly refusal?: ParleyError | undefined;
  /** When the request expires (epoch ms), if it says. */
  readonly deadline: number | undefined;
  /** The body. */
  readonly body: Buffer;
  /** Whether it came in an envelope (the reply then goes in one too). */
  readonly envelope: boolean;
  /** Whether it named no reply topic (neither Response Topic nor envelope): answered on the plain reply topic. */
  readonly plain: boolean;
}

/** A reply as read from a message. */
export interface IncomingReply {
  /** The correlation id. */
  readonly id: string;
  /** The status. */
  readonly status: Status;
  /** Header fields (none when {@link IncomingReply.refusal} is set). */
  readonly headers: HeaderMap;
  /** Why the reply cannot be used: header fields no transport may carry. */
  readonly refusal?: ParleyError | undefined;
  /** The body. */
  readonly body: Buffer;
}

/** The longest Message Expiry Interval MQTT 5 carries, in seconds (about 136 years). */
const MAX_EXPIRY_SECONDS = 2 ** 32 - 1;

/** What a request carries besides its topic. */
export interface RequestParts {
  readonly replyTo: string;
  readonly id: string;
  readonly headers: HeaderMap;
  /** When the request expires, in ms since the epoch (`Infinity`: never). */
  readonly deadline: number;
  readonly body: Uint8Array;
}

/**
 * Builds a request message: MQTT 5 properties, or an envelope on 3.1.1 and for header fields
 * user properties cannot carry (the server answers an envelope with an envelope).
 */
export function encodeRequest(version: 4 | 5, qos: 0 | 1 | 2, parts: RequestParts): Outgoing {
  if (version === 5 && fitUserProperties(parts.headers)) {
    const properties: IClientPublishOptions['properties'] = {
      responseTopic: parts.replyTo,
      correlationData: correlationBytes(parts.id, utf8Bytes),
    };
    // A four-byte count of seconds: a longer wait (a deadline of Infinity) is none at all.
    const seconds = Math.max(1, Math.ceil((parts.deadline - Date.now()) / 1000));
    if (seconds <= MAX_EXPIRY_SECONDS) properties.messageExpiryInterval = seconds;
    // Only when there are some: an empty list is a malformed packet to some brokers.
    if (parts.headers.size > 0) properties.userProperties = toUserProperties(parts.headers);
    return { payload: publishBytes(parts.body), options: { qos, properties } };
  }
  const header: EnvelopeHeader = {
    replyTo: parts.replyTo,
    id: parts.id,
    // JSON has no Infinity (it would write null, a malformed envelope): no deadline then.
    ...(Number.isFinite(parts.deadline) ? { deadline: parts.deadline } : {}),
    ...(parts.headers.size > 0 ? { headers: parts.headers.toObject() } : {}),
  };
  return { payload: publishBytes(encodeEnvelope(header, parts.body)), options: { qos } };
}

/**
 * Reads a request: MQTT 5 Response Topic and properties, else an envelope (a payload starting
 * with the envelope marker), else a plain message answered on `plainReplyTo` (see
 * `plainReplyTopic`; a function is called only for a plain message). A malformed envelope is
 * refused with `bad_request`.
 */
export function decodeRequest(
  payload: Buffer,
  packet: IPublishPacket,
  plainReplyTo: string | (() => string),
): IncomingRequest {
  const properties = packet.properties;
  const replyTo =
    properties?.responseTopic ??
    (isEnvelope(payload) ? undefined : typeof plainReplyTo === 'string' ? plainReplyTo : plainReplyTo());
  if (replyTo !== undefined) {
    checkReplyTopic(replyTo);
    const expiry = properties?.messageExpiryInterval;
    const userProperties = properties?.userProperties;
    // Most requests carry no header fields: no closure, fields object or spread for them.
    let headers: HeaderMap;
    let refusal: ParleyError | undefined;
    if (userProperties === undefined) headers = new HeaderMap();
    else ({ headers, refusal } = checkedFields(() => fromUserProperties(userProperties)));
    return {
      replyTo,
      correlation: properties?.correlationData,
      id: undefined,
      headers,
      refusal,
      deadline: expiry === undefined ? undefined : Date.now() + expiry * 1000,
      body: payload,
      envelope: false,
      plain: properties?.responseTopic === undefined,
    };
  }
  const { header, body } = decodeEnvelope(payload);
  if (header.replyTo === undefined) {
    throw new ParleyError('bad_request', 'A request envelope without a reply topic ("replyTo")');
  }
  checkReplyTopic(header.replyTo);
  const fields = header.headers;
  let headers: HeaderMap;
  let refusal: ParleyError | undefined;
  if (fields === undefined) headers = new HeaderMap();
  else ({ headers, refusal } = checkedFields(() => new HeaderMap(fields)));
  return {
    replyTo: header.replyTo,
    correlation: undefined,
    id: header.id,
    headers,
    refusal,
    deadline: header.deadline,
    body,
    envelope: true,
    plain: false,
  };
}

/** Refuses a reply topic no reply can be published to (the refusal goes to the plain reply topic). */
function checkReplyTopic(replyTo: string): void {
  if (!isReplyTopic(replyTo))
    throw new ParleyError(
      'bad_request',
      'The reply topic cannot be published to: empty, a wildcard, a $ topic, too long or with control characters',
    );
}

/**
 * A message's header fields, or, when they hold what no field may carry (a CR, LF or NUL, a name
 * that is not a token), no fields and the refusal, so that the caller still gets an answer.
 */
function checkedFields(read: () => HeaderMap): { headers: HeaderMap; refusal?: ParleyError } {
  try {
    return { headers: read() };
  } catch (error) {
    return { headers: new HeaderMap(), refusal: ParleyError.from(error) };
  }
}

/**
 * Builds the reply to a request, the same way the request came (properties or envelope); an
 * envelope, which Parley's clients read as well, when user properties cannot carry its fields.
 */
export function encodeReply(
  request: IncomingRequest,
  qos: 0 | 1 | 2,
  status: Status,
  headers: HeaderMap,
  body: Uint8Array,
): Outgoing {
  if (!request.envelope && fitUserProperties(headers)) {
    // Built whole when there are no header fields (most replies): one literal, no added keys.
    const reasonCode = REASON_CODE_TEXT[status];
    let userProperties: UserProperties;
    if (headers.size === 0) userProperties = { status, 'reason-code': reasonCode };
    else {
      userProperties = toUserProperties(headers);
      userProperties.status = status;
      userProperties['reason-code'] = reasonCode;
    }
    const correlationData = request.correlation;
    const properties: IClientPublishOptions['properties'] =
      correlationData === undefined ? { userProperties } : { userProperties, correlationData };
    return { payload: publishBytes(body), options: { qos, properties } };
  }
  const header: EnvelopeHeader = {
    id: request.id ?? (request.correlation === undefined ? '' : utf8Text(request.correlation)),
    status,
    ...(headers.size > 0 ? { headers: headers.toObject() } : {}),
  };
  return { payload: publishBytes(encodeEnvelope(header, body)), options: { qos } };
}

/** Reads a reply: MQTT 5 Correlation Data and properties, else an envelope; `undefined` when neither. */
export function decodeReply(payload: Buffer, packet: IPublishPacket): IncomingReply | undefined {
  const properties = packet.properties;
  if (properties?.correlationData !== undefined) {
    const userProperties = properties.userProperties;
    const status = replyStatus(
      propertyValue(userProperties, 'status'),
      propertyValue(userProperties, 'reason-code'),
    );
    const { headers, refusal } = checkedFields(() => fromUserProperties(userProperties, STATUS_PROPERTIES));
    return { id: utf8Text(properties.correlationData), status, headers, refusal, body: payload };
  }
  if (!isEnvelope(payload)) return undefined;
  const { header, body } = decodeEnvelope(payload);
  if (header.id === undefined) return undefined;
  const { headers, refusal } = checkedFields(() => new HeaderMap(header.headers));
  return { id: header.id, status: replyStatus(header.status, undefined), headers, refusal, body };
}

/** Builds an event message: headers as user properties, or an envelope on 3.1.1. */
export function encodeEvent(version: 4 | 5, qos: 0 | 1 | 2, headers: HeaderMap, body: Uint8Array): Outgoing {
  if (version === 5) {
    if (!fitUserProperties(headers))
      throw new ParleyError(
        'bad_request',
        'MQTT 5 user properties cannot carry control characters (tab included), non-characters or more than 65 535 bytes in a header field name or value',
      );
    return { payload: publishBytes(body), options: { qos, properties: nonEmpty(toUserProperties(headers)) } };
  }
  return {
    payload: publishBytes(encodeEnvelope(headers.size > 0 ? { headers: headers.toObject() } : {}, body)),
    options: { qos },
  };
}

/** Reads an event: user properties (MQTT 5), an envelope (3.1.1), or a plain payload without headers. */
export function decodeEvent(
  version: 4 | 5,
  payload: Buffer,
  packet: IPublishPacket,
): { headers: HeaderMap; body: Buffer } {
  if (version === 5 || !isEnvelope(payload)) {
    return { headers: fromUserProperties(packet.properties?.userProperties), body: payload };
  }
  try {
    const { header, body } = decodeEnvelope(payload);
    return { headers: new HeaderMap(header.headers), body };
  } catch {
    return { headers: new HeaderMap(), body: payload };
  }
}

/**
 * The size in bytes of the PUBLISH packet a message makes, a little over rather than under:
 * fixed header, topic, packet id, properties and payload.
 */
export function packetBytes(topic: string, outgoing: Outgoing): number {
  return measurePacket(topic, outgoing, utf8Length);
}

/** A bound on a string's UTF-8 length read off its length alone: 3 bytes per UTF-16 unit at most. */
const utf8Bound = (text: string): number => 3 * text.length;

/** The size of a PUBLISH packet, each string's byte length taken from `bytes`. */
function measurePacket(topic: string, outgoing: Outgoing, bytes: (text: string) => number): number {
  const properties = outgoing.options.properties;
  let size = 5 + 2 + bytes(topic) + 2 + 4 + outgoing.payload.byteLength;
  if (properties === undefined) return size;
  if (properties.responseTopic !== undefined) size += 3 + bytes(properties.responseTopic);
  if (properties.correlationData !== undefined) size += 3 + properties.correlationData.byteLength;
  if (properties.messageExpiryInterval !== undefined) size += 5;
  const userProperties = properties.userProperties;
  for (const name in userProperties) {
    const value = userProperties[name] as string | string[];
    if (typeof value === 'string') size += 5 + bytes(name) + bytes(value);
    else for (const one of value) size += 5 + bytes(name) + bytes(one);
  }
  return size;
}

/** Refuses a message larger than the broker takes with `too_large`, before it is published. */
export function ensureFits(topic: string, outgoing: Outgoing, maxPacketBytes: number): void {
  // Most messages are far below the limit: a bound read off string lengths settles them.
  if (measurePacket(topic, outgoing, utf8Bound) <= maxPacketBytes) return;
  const size = packetBytes(topic, outgoing);
  if (size > maxPacketBytes) {
    throw new ParleyError(
      'too_large',
      `The message would be ${size} bytes; the broker takes packets of at most ${maxPacketBytes} bytes`,
    );
  }
}

function toUserProperties(headers: HeaderMap): UserProperties {
  const properties: UserProperties = {};
  // Most messages have no header fields: no iterator is made for them.
  if (headers.size > 0)
    headers.forEach((value, name) => {
      properties[name] = value;
    });
  return properties;
}

/** `{ userProperties }`, or nothing when there are none (an empty list is a malformed packet to some brokers). */
function nonEmpty(userProperties: UserProperties): { userProperties?: UserProperties } {
  for (const _ in userProperties) return { userProperties };
  return {};
}

/** The user properties that carry a reply's status rather than header fields. */
const STATUS_PROPERTIES: ReadonlySet<string> = new Set(['status', 'reason-code']);

/** Each status's reason code in decimal, as the `reason-code` user property carries it. */
const REASON_CODE_TEXT = Object.fromEntries(
  STATUSES.map((status) => [status, String(MQTT_STATUS_MAP.toWire(status).reasonCode)]),
) as Readonly<Record<Status, string>>;

/** Header fields of user properties, but those named in `skip` (their names are lower-case). */
function fromUserProperties(properties: UserProperties | undefined, skip?: ReadonlySet<string>): HeaderMap {
  const headers = new HeaderMap();
  for (const name in properties) {
    const value = properties[name];
    // The names Parley writes are lower-case already: no lower-cased copy is made for them.
    if (value === undefined || (skip !== undefined && (skip.has(name) || skip.has(name.toLowerCase()))))
      continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** A user property as one value (repeated ones joined), its name matched case-insensitively. */
function propertyValue(properties: UserProperties | undefined, name: string): string | undefined {
  let value = properties?.[name];
  if (value === undefined) {
    for (const key in properties) if (key.toLowerCase() === name) value = properties[key];
  }
  return Array.isArray(value) ? value.join(', ') : value;
}
