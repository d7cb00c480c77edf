import { HeaderMap, type Response, respond } from '@parley/core';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { Spool } from '../spool.js';
import type { ComposedMessage } from './compose.js';
import { checkSentWhole } from './early-reply.js';
import { acknowledgement, clientError, oneLine, type SendError, statusOfReply, tlsFailure } from './reply.js';

/** The reply code that asks for a recipient in a new transaction (RFC 5321 section 4.5.3.1.10). */
const TOO_MANY_RECIPIENTS = 452;

/**
 * What a client does when its spool's temporary file cannot be removed: the replies the
 * servers gave stand (failing the send would make the caller send the message again).
 */
function keepReplies(): void {}

/** What one transaction decided: a reply per recipient it settled, and the recipients to send again with their `452` replies. */
interface Round {
  readonly settled: [address: string, reply: string][];
  readonly deferred: [address: string, reply: string][];
}

/**
 * Sends a message to several recipients. The message is spooled once; a recipient refused with
 * `452` (too many recipients) gets it again in a new transaction, until every recipient has a
 * final reply or a transaction makes no progress. The response's status is `ok` when every
 * recipient accepted the message, else the first refusal's; `smtp-accepted` lists the
 * recipients that have the message and `smtp-rejected` the others with their replies.
 */
export async function sendToEach(
  transporter: Transporter<SMTPPool.SentMessageInfo>,
  message: ComposedMessage,
  signal: AbortSignal,
): Promise<Response> {
  const spool = await Spool.fill(message.raw, keepReplies);
  const replies = new Map<string, string>();
  try {
    let pending = message.envelope.to;
    while (pending.length > 0) {
      const round = await sendRound(
        transporter,
        { from: message.envelope.from, to: pending },
        spool,
        message,
        signal,
      );
      for (const [address, reply] of round.settled) replies.set(address, reply);
      // No recipient accepted: the 452s were not about their number (a full mail system), so they stand.
      if (round.deferred.length === pending.length) {
        for (const [address, reply] of round.deferred) replies.set(address, reply);
        break;
      }
      pending = round.deferred.map(([address]) => address);
    }
  } finally {
    await spool.dispose(keepReplies);
  }
  return summary(message.envelope.to, replies, message.messageId);
}

async function sendRound(
  transporter: Transporter<SMTPPool.SentMessageInfo>,
  envelope: { from: string; to: string[] },
  spool: Spool,
  message: ComposedMessage,
  signal: AbortSignal,
): Promise<Round> {
  let refused: SendError[];
  let response: string;
  const raw = spool.open();
  try {
    const info = await transporter.sendMail({ envelope, raw, signal } as Parameters<
      Transporter['sendMail']
    >[0]);
    refused = (info as { rejectedErrors?: SendError[] }).rejectedErrors ?? [];
    response = String(info.response ?? '250');
    checkSentWhole(raw, message.bytesRead(), (info as { messageSize?: unknown }).messageSize, response);
  } catch (error) {
    const failure = error as SendError;
    if (failure.code === 'ETLS') throw tlsFailure(failure);
    if (typeof failure.responseCode !== 'number') throw clientError(failure, signal);
    // Refused at DATA (or MAIL FROM): no recipient of this transaction has the message.
    if (failure.rejectedErrors === undefined)
      return { settled: envelope.to.map((address) => [address, failure.response ?? '']), deferred: [] };
    refused = failure.rejectedErrors;
    response = '';
  }
  const deferred: [address: string, reply: string][] = [];
  const settled = new Map<string, string>(envelope.to.map((address) => [address, response]));
  for (const refusal of refused) {
    const address = refusal.recipient ?? '';
    if (refusal.responseCode === TOO_MANY_RECIPIENTS) {
      settled.delete(address);
      deferred.push([address, refusal.response ?? String(refusal.responseCode)]);
    } else settled.set(address, refusal.response ?? String(refusal.responseCode));
  }
  return { settled: [...settled], deferred };
}

/** One response for every recipient's reply. */
function summary(
  recipients: string[],
  replies: Map<string, string>,
  messageId: string | undefined,
): Response {
  const accepted = recipients.filter((address) => statusOfReply(replies.get(address) ?? '') === 'ok');
  const rejected = recipients.filter((address) => !accepted.includes(address));
  const first = rejected[0];
  const decisive = replies.get(first ?? accepted.at(-1) ?? '') ?? '';
  if (first === undefined) return withLists(acknowledgement(decisive, messageId), accepted, []);
  const list = rejected.map((address) => `${address} ${oneLine(replies.get(address) ?? '')}`);
  return withLists(acknowledgement(decisive, messageId), accepted, list);
}

function withLists(response: Response, accepted: string[], rejected: string[]): Response {
  const headers = new HeaderMap(response.headers);
  headers.set('smtp-accepted', accepted.join(', '));
  if (rejected.length > 0) headers.set('smtp-rejected', rejected.join('; '));
  return respond(response.status, null, headers);
}
