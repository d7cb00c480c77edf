import { ParleyError, STATUS_TEXT, type Status } from '@parley/core';
import { statusToSmtp } from '../status-map.js';

/** A reply for `smtp-server`: a success text, or an Error carrying the reply code. */
export type Reply = string | (Error & { responseCode: number });

/** The reply for a status: text starts with the enhanced status code (the server hook uses it). */
export function replyFor(status: Status, text?: string): Reply {
  const { code, enhanced } = statusToSmtp(status);
  const line = `${enhanced} ${oneLine(text) || STATUS_TEXT[status]}`;
  if (code < 400) return line;
  return Object.assign(new Error(line), { responseCode: code });
}

/**
 * The reply to a message a handler accepted: `2.0.0 OK <message-id>`, the same as
 * `replyFor('ok', 'OK ' + messageId)`, checking the id alone when it is short enough to be
 * kept whole.
 */
export function acceptedReply(messageId: string): Reply {
  if (messageId.length === 0 || messageId.length > 197 || !isOneLine(messageId)) {
    return replyFor('ok', `OK ${messageId}`);
  }
  return `${statusToSmtp('ok').enhanced} OK ${messageId}`;
}

/** The reply for anything thrown. */
export function replyForError(error: unknown): Reply {
  const failure = ParleyError.from(error);
  return replyFor(failure.status, failure.status === 'internal' ? undefined : failure.message);
}

/** Whether {@link oneLine} keeps a text as it is: at most 200 characters, no control character, no leading, trailing or double space. */
function isOneLine(text: string): boolean {
  if (text.length > 200) return false;
  let afterSpace = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || (code === 0x20 && afterSpace)) return false;
    afterSpace = code === 0x20;
  }
  return !afterSpace || text.length === 0;
}

/** A reply text: one line of printable characters, at most 200 of them. */
function oneLine(text: string | undefined): string {
  if (text === undefined) return '';
  if (isOneLine(text)) return text;
  const printable = [...(text ?? '')].map((char) => (char < ' ' || char === '\x7f' ? ' ' : char)).join('');
  return printable.replace(/ +/g, ' ').trim().slice(0, 200);
}
