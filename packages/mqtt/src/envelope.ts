import { ParleyError } from '@parley/core';

/**
 * The envelope of a message on an MQTT 3.1.1 connection, which has no properties: one line of
 * JSON (the metadata), a line feed, then the body's bytes unchanged (binary-safe).
 *
 * A request's line holds `replyTo`, `id` and optionally `deadline` (epoch ms), `headers` and
 * `authorization`; a reply's holds `id`, `status` and `headers`; an event's holds `headers`.
 */
export interface EnvelopeHeader {
  /** The topic the reply goes to (requests). */
  readonly replyTo?: string;
  /** The correlation id (requests and replies). */
  readonly id?: string;
  /** When the request expires, in ms since the epoch (requests). */
  readonly deadline?: number;
  /** The Parley status (replies). */
  readonly status?: string;
  /** Header fields. */
  readonly headers?: Record<string, string>;
  /** `Basic <base64 user:password>` (requests to a server that authenticates). */
  readonly authorization?: string;
}

const LINE_FEED = 0x0a;
const OPEN_BRACE = 0x7b;
const NEWLINE = Buffer.from('\n');

/** Wraps a body in an envelope. */
export function encodeEnvelope(header: EnvelopeHeader, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(JSON.stringify(header)), NEWLINE, body]);
}

/** Whether a payload looks like an envelope (starts with `{` and has a line feed). */
export function isEnvelope(payload: Buffer): boolean {
  return payload[0] === OPEN_BRACE && payload.indexOf(LINE_FEED) > 0;
}

/** Unwraps an envelope; a malformed one is refused with `bad_request`. */
export function decodeEnvelope(payload: Buffer): { header: EnvelopeHeader; body: Buffer } {
  const end = payload.indexOf(LINE_FEED);
  if (payload[0] !== OPEN_BRACE || end < 0)
    throw new ParleyError('bad_request', 'The message has no envelope');
  let header: unknown;
  try {
    header = JSON.parse(payload.subarray(0, end).toString('utf8'));
  } catch (error) {
    throw new ParleyError('bad_request', 'The envelope is not valid JSON', { cause: error });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new ParleyError('bad_request', 'The envelope is not a JSON object');
  }
  return { header: header as EnvelopeHeader, body: payload.subarray(end + 1) };
}
