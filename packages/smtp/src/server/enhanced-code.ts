/** Whether a text starts like an enhanced status code (`2.`, `4.` or `5.`). */
export function startsEnhanced(text: string): boolean {
  const first = text.charCodeAt(0);
  return text.charCodeAt(1) === 0x2e && (first === 0x32 || first === 0x34 || first === 0x35);
}

/** The end of 1 to 3 digits from `from` in `text` (`from` itself when there are none). */
function digitsEnd(text: string, from: number): number {
  let at = from;
  while (at < from + 3 && at < text.length) {
    const code = text.charCodeAt(at);
    if (code < 0x30 || code > 0x39) break;
    at++;
  }
  return at;
}

/**
 * Where the space after a leading enhanced status code (`5.7.1 ...`: class, subject and detail
 * of 1 to 3 digits each) is in a reply text, or -1 when the text does not start with one.
 */
export function enhancedCodeEnd(text: string): number {
  if (!startsEnhanced(text)) return -1;
  const subject = digitsEnd(text, 2);
  if (subject === 2 || text.charCodeAt(subject) !== 0x2e) return -1;
  const detail = digitsEnd(text, subject + 1);
  if (detail === subject + 1 || text.charCodeAt(detail) !== 0x20) return -1;
  return detail;
}
