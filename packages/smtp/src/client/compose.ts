import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ParleyError, type Request } from '@parley/core';
import { refuseQuery } from '@parley/core/transport';
import { addressParser } from 'postal-mime';
import { pathToAddress } from '../address.js';
import { formatHeader } from '../mail-headers.js';
import { envelopeAddress } from './envelope-address.js';

/** A message ready for the SMTP client: its envelope and its bytes. */
export interface ComposedMessage {
  /** MAIL FROM and RCPT TO. */
  readonly envelope: { readonly from: string; readonly to: string[] };
  /** The RFC 5322 message, streaming. */
  readonly raw: Readable;
  /** The Message-ID, when known. */
  readonly messageId: string | undefined;
  /** The bytes read from {@link ComposedMessage.raw} so far. */
  readonly bytesRead: () => number;
}

/** Header fields the message writes itself, or that do not belong in a mail header. */
const OWN = new Set([
  'content-transfer-encoding',
  'content-length',
  'mime-version',
  'bcc',
  'connection',
  'host',
]);

/**
 * Builds the message for a request. A body whose `content-type` is `message/rfc822` is a
 * whole message and is sent as it is, the other request headers written in front of it.
 * Any other body becomes the single part of a generated message (`Content-Type` from the
 * request; by default `text/plain; charset=utf-8` for a string body and
 * `application/octet-stream` for bytes and streams), base64-encoded so every byte survives,
 * with `From`, `To`, `Date`, `Message-ID` and `MIME-Version` filled in unless the request
 * gives them. The envelope goes to the path's mailbox and to the addresses of the request's
 * `cc` and `bcc` headers (`bcc` is not written into the message).
 */
export function composeMessage(
  request: Request,
  defaults: { from: string; domain: string },
): ComposedMessage {
  const to = pathToAddress(request.path, defaults.domain);
  const from = request.headers.get('from') ?? defaults.from;
  const given = addressParser(from, { flatten: true })[0]?.address;
  const sender = given === undefined ? defaults.from : envelopeAddress(given, 'from', from);
  const envelope = { from: sender, to: recipients(request, to) };
  const type = request.headers.get('content-type') ?? defaultType(request);
  if (/^message\/rfc822\b/i.test(type)) {
    const extra = [...request.headers].filter(([name]) => name !== 'content-type' && !OWN.has(name));
    const head = extra.map(([name, value]) => formatHeader(name, value)).join('');
    const counted = prepend(head, request.body);
    return {
      envelope,
      raw: Readable.from(counted.chunks),
      messageId: request.headers.get('message-id'),
      bytesRead: counted.bytes,
    };
  }
  const messageId =
    request.headers.get('message-id') ?? `<${randomUUID()}@${sender.split('@')[1] ?? defaults.domain}>`;
  const fields = new Map<string, string>([
    ['from', from],
    ['to', request.headers.get('to') ?? to],
    ['date', request.headers.get('date') ?? new Date().toUTCString()],
    ['message-id', messageId],
    ['mime-version', '1.0'],
  ]);
  for (const [name, value] of request.headers)
    if (!OWN.has(name) && !fields.has(name)) fields.set(name, value);
  fields.set('content-type', type);
  fields.set('content-transfer-encoding', 'base64');
  const head = `${[...fields].map(([name, value]) => formatHeader(name, value)).join('')}\r\n`;
  const counted = prepend(head, base64Lines(request.body));
  return { envelope, raw: Readable.from(counted.chunks), messageId, bytesRead: counted.bytes };
}

/** The type of a body without `content-type`: text for a string, bytes for anything else. */
function defaultType(request: Request): string {
  return request.body.bufferedText === undefined ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

/** The envelope recipients: the path's mailbox, then the `cc` and `bcc` addresses, each once. */
function recipients(request: Request, to: string): string[] {
  const all = new Set([to]);
  for (const name of ['cc', 'bcc']) {
    const value = request.headers.get(name);
    if (value === undefined) continue;
    for (const parsed of addressParser(value, { flatten: true }))
      all.add(envelopeAddress(parsed.address ?? '', name, value));
  }
  return [...all];
}

/** The head then the rest, as chunks, and the count of bytes given out so far. */
function prepend(
  head: string,
  rest: AsyncIterable<Uint8Array>,
): { chunks: AsyncGenerator<Buffer>; bytes: () => number } {
  let bytes = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    const first = Buffer.from(head, 'utf8');
    bytes += first.byteLength;
    yield first;
    for await (const chunk of rest) {
      bytes += chunk.byteLength;
      yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  }
  return { chunks: chunks(), bytes: () => bytes };
}

/** 57 bytes make one 76-character line of base64. */
const LINE_BYTES = 57;

/** Encodes a byte stream as base64 in lines of 76 characters, holding at most one chunk. */
export async function* base64Lines(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    const all = rest.byteLength === 0 ? Buffer.from(chunk) : Buffer.concat([rest, chunk]);
    const usable = all.byteLength - (all.byteLength % LINE_BYTES);
    if (usable > 0) yield encodeLines(all.subarray(0, usable));
    rest = all.subarray(usable);
  }
  if (rest.byteLength > 0) yield encodeLines(rest);
}

function encodeLines(bytes: Buffer): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < bytes.byteLength; i += LINE_BYTES)
    lines.push(bytes.subarray(i, i + LINE_BYTES).toString('base64'));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
}

/** Refuses a message the generated form cannot carry. */
export function assertSendable(request: Request): void {
  if (request.method !== 'POST')
    throw new ParleyError('unsupported', `smtp does not carry ${request.method}`);
  refuseQuery(request, 'SMTP');
}
