/** A mailbox of a parsed mail: its display name (empty when none) and its address. */
export interface MailAddress {
  /** The decoded display name, or `''`. */
  readonly name: string;
  /** The address, such as `alice@example.org`. */
  readonly address: string;
  /** Absent: a mailbox is not a group. */
  readonly group?: undefined | undefined;
}

/** A group of mailboxes of a parsed mail (`Team: a@example.org, b@example.org;`). */
export interface MailGroup {
  /** The decoded group name. */
  readonly name: string;
  /** Absent: a group has members instead. */
  readonly address?: undefined | undefined;
  /** The members. */
  readonly group: readonly MailAddress[];
}

/** One attachment (or inline part other than the text) of a parsed mail. */
export interface MailAttachment {
  /** The decoded file name, or `null` when the part names none. */
  readonly filename: string | null;
  /** The lower-case media type, such as `image/png`. */
  readonly mimeType: string;
  /** The Content-Disposition (`attachment`, `inline`...), or `null` when the part has none. */
  readonly disposition: string | null;
  /** The Content-ID, angle brackets included, when the part has one. */
  readonly contentId?: string | undefined;
  /** The decoded content. */
  readonly content: Uint8Array;
}

/** What {@link parseMail} returns: the parts of a mail Parley documents. */
export interface ParsedMail {
  /** The decoded Subject, when there is one. */
  readonly subject?: string | undefined;
  /** The From mailbox, when there is one. */
  readonly from?: MailAddress | MailGroup | undefined;
  /** The To recipients, when there are any. */
  readonly to?: readonly (MailAddress | MailGroup)[] | undefined;
  /** The Cc recipients, when there are any. */
  readonly cc?: readonly (MailAddress | MailGroup)[] | undefined;
  /** The Message-ID, angle brackets included, when there is one. */
  readonly messageId?: string | undefined;
  /** The Date as an ISO 8601 string (the raw value when it does not parse), when there is one. */
  readonly date?: string | undefined;
  /** The plain text (of a mail with only HTML: the text of that HTML). */
  readonly text?: string | undefined;
  /** The HTML, when the mail has some. */
  readonly html?: string | undefined;
  /** The attachments, in order. */
  readonly attachments: readonly MailAttachment[];
}
