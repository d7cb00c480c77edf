import type { Request } from '@parley/core';

/** What the notes service needs of a parsed mail. */
export interface Mail {
  /** The Subject line, when there is one. */
  readonly subject?: string | undefined;
  /** The plain-text part, when there is one. */
  readonly text?: string | undefined;
  /** The attachments, in order. */
  readonly attachments: readonly MailAttachment[];
}

/** One attachment of a {@link Mail}. */
export interface MailAttachment {
  /** Its file name, when given. */
  readonly filename?: string | null | undefined;
  /** Its decoded content. */
  readonly content: Uint8Array | ArrayBuffer | string;
}

/** Parses the mail a request that arrived over SMTP carries (its header fields and content). */
export type MailReader = (request: Request) => Promise<Mail>;

/** The name and content of the note a mail makes: the subject names it, the text is its content. */
export interface MailNote {
  /** The name asked for (the subject, else the first attachment's file name), if any. */
  readonly name: string | undefined;
  /** The content: the text part, else the first attachment. */
  readonly content: Uint8Array;
}

/**
 * The largest mail that can carry a note of `maxNoteBytes`: the note's bytes in base64 (the
 * largest transfer encoding a sender picks for text), line ends included, plus 64 KiB of header
 * fields. The note itself is held to `maxNoteBytes` when it is stored.
 */
export function maxMailBytes(maxNoteBytes: number): number {
  return Math.ceil((maxNoteBytes * 4) / 3 / 76) * 78 + 64 * 1024;
}

/** Turns a parsed mail into a note's name and content. */
export function noteFromMail(mail: Mail): MailNote {
  const attachment = mail.attachments[0];
  const name = mail.subject?.trim() || attachment?.filename?.trim() || undefined;
  if (mail.text !== undefined && mail.text.trim() !== '')
    return { name, content: Buffer.from(tidy(mail.text)) };
  if (attachment === undefined) return { name, content: new Uint8Array(0) };
  const content = attachment.content;
  return { name, content: typeof content === 'string' ? Buffer.from(content) : new Uint8Array(content) };
}

/**
 * A mail's text with its trailing blank lines reduced to one line end (`trimEnd`, linear: the
 * pattern `/\s+$/` would try each blank of a long run to its end).
 */
function tidy(text: string): string {
  return `${text.trimEnd()}\n`;
}
