/** Whether a character code is a control character a reply line must not carry (C0, DEL, C1). */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * A reply text fit for one line: every control character (U+0000 to U+001F, U+007F to U+009F)
 * becomes a space, as `smtp-server` scrubs the texts it sends; a clean text is returned as it
 * is, without a copy.
 */
export function scrubReplyText(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (!isControl(text.charCodeAt(i))) continue;
    let scrubbed = text.slice(0, i);
    for (let j = i; j < text.length; j++) {
      const code = text.charCodeAt(j);
      scrubbed += isControl(code) ? ' ' : text[j];
    }
    return scrubbed;
  }
  return text;
}

/**
 * One reply line without its line break, as `smtp-server` writes a single-line reply: the
 * code, the enhanced status code when there is one, then the text (scrubbed, see
 * {@link scrubReplyText}) when it is not empty, separated by single spaces.
 */
export function replyLine(code: number, enhanced: string, text: string): string {
  const head = enhanced === '' ? `${code}` : `${code} ${enhanced}`;
  return text === '' ? head : `${head} ${scrubReplyText(text)}`;
}
