import { ParleyError } from '@parley/core';
import { startsWith, utf8Bytes, utf8Into, utf8Length, utf8Text } from './bytes.js';
import { newPublishBytes } from './publish-bytes.js';

/** The envelope format version: the value of the `parley` field every envelope starts with. */
export const ENVELOPE_VERSION = 1;

/**
 * The envelope of a message on an MQTT 3.1.1 connection, which has no properties: one line of
 * JSON (the metadata), a line feed, then the body's bytes unchanged (binary-safe).
 *
 * The line always starts with the exact bytes `{"parley":1` (the marker): a payload that does
 * not start with them is a plain body, whatever else it holds. A request's line holds `replyTo`,
 * `id` and optionally `deadline` (epoch ms) and `headers`; a reply's holds `id`, `status` and
 * optionally `headers`; an event's optionally `headers`. Any other field, or a field of the
 * wrong type, makes the envelope malformed. Credentials never travel in an envelope: they go
 * in CONNECT, to the broker.
 */
export interface EnvelopeHeader {
  /** The topic the reply goes to (requests). */
  readonly replyTo?: string | undefined;
  /** The correlation id (requests and replies). */
  readonly id?: string | undefined;
  /** When the request expires, in ms since the epoch (requests). */
  readonly deadline?: number | undefined;
  /** The Parley status (replies). */
  readonly status?: string | undefined;
  /** Header fields. */
  readonly headers?: Record<string, string> | undefined;
}

const LINE_FEED = 0x0a;
/** The bytes every envelope starts with. */
const MARKER = utf8Bytes(`{"parley":${ENVELOPE_VERSION}`);
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;

/** Wraps a body in an envelope (the marker first), in bytes ready to publish (see `newPublishBytes`). */
export function encodeEnvelope(header: EnvelopeHeader, body: Uint8Array): Uint8Array {
  const line = envelopeLine(header);
  const lineBytes = utf8Length(line);
  const payload = newPublishBytes(lineBytes + 1 + body.byteLength);
  utf8Into(line, payload);
  payload[lineBytes] = LINE_FEED;
  payload.set(body, lineBytes + 1);
  return payload;
}

/** The JSON line of a header: the marker, then its fields in a fixed order. */
function envelopeLine(header: EnvelopeHeader): string {
  let line = `{"parley":${ENVELOPE_VERSION}`;
  if (header.replyTo !== undefined) line += `,"replyTo":${JSON.stringify(header.replyTo)}`;
  if (header.id !== undefined) line += `,"id":${JSON.stringify(header.id)}`;
  if (header.deadline !== undefined) line += `,"deadline":${JSON.stringify(header.deadline)}`;
  if (header.status !== undefined) line += `,"status":${JSON.stringify(header.status)}`;
  if (header.headers !== undefined) line += `,"headers":${JSON.stringify(header.headers)}`;
  return `${line}}`;
}

/** Whether a payload is an envelope: it starts with `{"parley":1` then `,` or `}`. */
export function isEnvelope(payload: Uint8Array): boolean {
  if (payload.length <= MARKER.length || !startsWith(payload, MARKER)) return false;
  const next = payload[MARKER.length];
  return next === COMMA || next === CLOSE_BRACE;
}

/** Unwraps an envelope; a malformed one (see {@link EnvelopeHeader}) is refused with `bad_request`. */
export function decodeEnvelope<T extends Uint8Array>(payload: T): { header: EnvelopeHeader; body: T } {
  const end = payload.indexOf(LINE_FEED);
  if (!isEnvelope(payload) || end < 0)
    throw new ParleyError('bad_request', 'The message has no envelope (a first line starting {"parley":1)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Text(payload.subarray(0, end)));
  } catch (error) {
    throw new ParleyError('bad_request', 'The envelope is not valid JSON', { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ParleyError('bad_request', 'The envelope is not a JSON object');
  }
  return { header: readHeader(parsed as Record<string, unknown>), body: payload.subarray(end + 1) as T };
}

/** The header of a parsed envelope line, each field checked (see {@link EnvelopeHeader}). */
function readHeader(fields: Record<string, unknown>): EnvelopeHeader {
  const header: { -readonly [K in keyof EnvelopeHeader]: EnvelopeHeader[K] } = {};
  for (const name of Object.keys(fields)) {
    const value = fields[name];
    let valid: boolean;
    switch (name) {
      case 'parley':
        valid = value === ENVELOPE_VERSION;
        break;
      case 'replyTo':
        valid = typeof value === 'string' && value !== '';
        if (valid) header.replyTo = value as string;
        break;
      case 'id':
        valid = typeof value === 'string';
        if (valid) header.id = value as string;
        break;
      case 'deadline':
        valid = typeof value === 'number' && Number.isFinite(value);
        if (valid) header.deadline = value as number;
        break;
      case 'status':
        valid = typeof value === 'string';
        if (valid) header.status = value as string;
        break;
      case 'headers':
        valid = isStringRecord(value);
        if (valid) header.headers = value as Record<string, string>;
        break;
      default:
        throw new ParleyError('bad_request', `The envelope has an unknown field "${name}"`);
    }
    if (!valid) throw new ParleyError('bad_request', `The envelope field "${name}" is malformed`);
  }
  return header;
}

/** Whether a value is a JSON object of strings. */
function isStringRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const field of Object.values(value)) if (typeof field !== 'string') return false;
  return true;
}
