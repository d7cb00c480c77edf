import type { Address, Attachment, Email } from 'postal-mime';
import type { MailAddress, MailAttachment, MailGroup, ParsedMail } from './mail-types.js';

/**
 * Parley's {@link ParsedMail} of postal-mime's parsed message: only the documented fields,
 * so that Parley's public types never name postal-mime's.
 */
export function toParsedMail(email: Email): ParsedMail {
  return {
    subject: email.subject,
    from: email.from === undefined ? undefined : address(email.from),
    to: email.to?.map(address),
    cc: email.cc?.map(address),
    messageId: email.messageId,
    date: email.date,
    text: email.text,
    html: email.html,
    attachments: email.attachments.map(attachment),
  };
}

function mailbox(entry: { name: string; address: string }): MailAddress {
  return { name: entry.name, address: entry.address };
}

function address(entry: Address): MailAddress | MailGroup {
  return entry.group === undefined ? mailbox(entry) : { name: entry.name, group: entry.group.map(mailbox) };
}

function attachment(part: Attachment): MailAttachment {
  const content = part.content;
  return {
    filename: part.filename,
    mimeType: part.mimeType,
    disposition: part.disposition,
    contentId: part.contentId,
    content:
      typeof content === 'string'
        ? new TextEncoder().encode(content)
        : content instanceof Uint8Array
          ? content
          : new Uint8Array(content),
  };
}
