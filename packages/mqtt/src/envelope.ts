import { ParleyError } from '@parley/core';
import { startsWith, utf8Bytes, utf8Text } from './bytes.js';

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

/** The type each envelope field must have. */
const FIELDS: Readonly<Record<string, (value: unknown) => boolean>> = {
  parley: (value) => value === ENVELOPE_VERSION,
  replyTo: (value) => typeof value === 'string' && value !== '',
  id: (value) => typeof value === 'string',
  deadline: (value) => typeof value === 'number' && Number.isFinite(value),
  status: (value) => typeof value === 'string',
  headers: (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((field) => typeof field === 'string'),
};

/** Wraps a body in an envelope (the marker first). */
export function encodeEnvelope(header: EnvelopeHeader, body: Uint8Array): Uint8Array {
  const line = utf8Bytes(JSON.stringify({ parley: ENVELOPE_VERSION, ...header }));
  const payload = new Uint8Array(line.byteLength + 1 + body.byteLength);
  payload.set(line);
  payload[line.byteLength] = LINE_FEED;
  payload.set(body, line.byteLength + 1);
  return payload;
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
  let header: unknown;
  try {
    header = JSON.parse(utf8Text(payload.subarray(0, end)));
  } catch (error) {
    throw new ParleyError('bad_request', 'The envelope is not valid JSON', { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ParleyError('bad_request', 'The envelope is not a JSON object');
  }
  for (const [name, value] of Object.entries(header)) {
    const valid = FIELDS[name];
    if (valid === undefined)
      throw new ParleyError('bad_request', `The envelope has an unknown field "${name}"`);
    if (!valid(value)) throw new ParleyError('bad_request', `The envelope field "${name}" is malformed`);
  }
  const { parley: _version, ...fields } = header as EnvelopeHeader & { parley: number };
  return { header: fields, body: payload.subarray(end + 1) as T };
}
