import { Body, type BodyInit, type Request } from '@parley/core';
import PostalMime from 'postal-mime';
import { htmlToText } from './html-text.js';
import { formatHeader } from './mail-headers.js';
import type { ParsedMail } from './mail-types.js';
import { toParsedMail } from './postal-mail.js';

/** Options of {@link parseMail}. */
export interface ParseMailOptions {
  /** Largest message read, in bytes (a `too_large` ParleyError beyond). Default: 25 MiB. */
  limit?: number | undefined;
}

/**
 * Parses a MIME mail into its subject, from, to, cc, text, html and attachments. Give it the
 * request itself (its header fields and content are put back together), or a raw RFC 5322
 * message (for instance the body of a server with `rawMessage: true`). Of a
 * `multipart/alternative` mail, `text` is the plain-text part; a mail with only HTML gets
 * the text of that HTML as `text` (tags removed, paragraphs as lines), so `text` is empty
 * only for a mail without any text.
 *
 * @param source - a request from an SMTP server, or the raw message
 * @param options - limits on the parsing
 * @returns The parsed mail.
 *
 * @example
 * ```ts
 * router.post('/inbox', async (request) => {
 *   const mail = await parseMail(request);
 *   console.log(mail.subject, mail.text);
 *   return respond('ok');
 * });
 * ```
 */
export async function parseMail(
  source: Request | BodyInit,
  options: ParseMailOptions = {},
): Promise<ParsedMail> {
  const limit = options.limit ?? 25 * 1024 * 1024;
  if (!isRequest(source)) return parse(await Body.from(source).bytes({ limit }));
  const head = [...source.headers].map(([name, value]) => formatHeader(name, value)).join('');
  const content = await source.body.bytes({ limit });
  return parse(Buffer.concat([Buffer.from(`${head}\r\n`), content]));
}

async function parse(message: Uint8Array): Promise<ParsedMail> {
  return withText(toParsedMail(await PostalMime.parse(message)));
}

/** The mail, with the text of its HTML as `text` when it has no plain-text part. */
function withText(mail: ParsedMail): ParsedMail {
  if ((mail.text ?? '').trim() !== '' || mail.html === undefined) return mail;
  return { ...mail, text: htmlToText(mail.html) };
}

function isRequest(value: unknown): value is Request {
  return (
    typeof value === 'object' && value !== null && 'method' in value && 'headers' in value && 'body' in value
  );
}
