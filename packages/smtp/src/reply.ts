import { ParleyError, STATUS_TEXT, type Status } from '@parley/core';
import { statusToSmtp } from './status-map.js';

/** A reply for `smtp-server`: a success text, or an Error carrying the reply code. */
export type Reply = string | (Error & { responseCode: number });

/** The reply for a status: text starts with the enhanced status code (the server hook uses it). */
export function replyFor(status: Status, text?: string): Reply {
  const { code, enhanced } = statusToSmtp(status);
  const line = `${enhanced} ${oneLine(text) || STATUS_TEXT[status]}`;
  if (code < 400) return line;
  return Object.assign(new Error(line), { responseCode: code });
}

/** The reply for anything thrown. */
export function replyForError(error: unknown): Reply {
  const failure = ParleyError.from(error);
  return replyFor(failure.status, failure.status === 'internal' ? undefined : failure.message);
}

/** Text that {@link oneLine} keeps as it is: no control character, no leading, trailing or double space. */
const CLEAN = /^(?:[^\x00-\x20\x7f]+(?: [^\x00-\x20\x7f]+)*)?$/;

/** A reply text: one line of printable characters, at most 200 of them. */
function oneLine(text: string | undefined): string {
  if (text === undefined) return '';
  if (text.length <= 200 && CLEAN.test(text)) return text;
  const printable = [...(text ?? '')].map((char) => (char < ' ' || char === '\x7f' ? ' ' : char)).join('');
  return printable.replace(/ +/g, ' ').trim().slice(0, 200);
}
