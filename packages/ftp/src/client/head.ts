import { HeaderMap, type Response, respond } from '@parley/core';
import type { Client as BasicClient } from 'basic-ftp';
import { statusFromFtpReply } from '../status-map.js';
import { type Facts, parseFtpTime, parseMlstFacts } from './listing.js';

/**
 * HEAD as MLST (one command giving type, size and modification time) when the server announces
 * it, else SIZE then MDTM. The answer has no body; `content-length` (files) and
 * `last-modified` (an HTTP date) when the server told them. Negative replies throw `FTPError`.
 */
export async function head(client: BasicClient, path: string): Promise<Response> {
  if (client.availableListCommands[0] === 'MLSD') {
    const reply = await client.send(`MLST ${path}`);
    return respond(
      statusFromFtpReply(reply.code, reply.message),
      undefined,
      headersFromFacts(parseMlstFacts(reply.message)),
    );
  }
  const reply = await client.send(`SIZE ${path}`);
  const headers = new HeaderMap();
  const size = Number.parseInt(reply.message.slice(4), 10);
  if (Number.isSafeInteger(size) && size >= 0) headers.set('content-length', String(size));
  const modified = await client.sendIgnoringError(`MDTM ${path}`);
  const date = modified.code === 213 ? parseFtpTime(modified.message.slice(4)) : undefined;
  if (date !== undefined) headers.set('last-modified', date.toUTCString());
  return respond(statusFromFtpReply(reply.code, reply.message), undefined, headers);
}

/** The response headers MLST facts give: `content-length` for files, `last-modified`. */
export function headersFromFacts(facts: Facts): HeaderMap {
  const headers = new HeaderMap();
  const type = facts.get('type')?.toLowerCase();
  const size = Number(facts.get('size'));
  if (type !== 'dir' && type !== 'cdir' && type !== 'pdir' && Number.isSafeInteger(size) && size >= 0) {
    headers.set('content-length', String(size));
  }
  const modify = facts.get('modify');
  const date = modify === undefined ? undefined : parseFtpTime(modify);
  if (date !== undefined) headers.set('last-modified', date.toUTCString());
  return headers;
}
