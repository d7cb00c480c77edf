/** The longest line a message may hold, without its CRLF (RFC 5322 section 2.1.1). */
export const MAX_LINE_BYTES = 998;

/** Where lines are folded when they can be (RFC 5322's recommended 78 characters). */
const FOLD_AFTER = 78;

/**
 * A header field's line (`Name: value`, no CRLF) folded at its spaces so that no line is longer
 * than 78 characters where a space allows it; each fold is a CRLF put before a space, which
 * unfolding removes (RFC 5322 section 2.2.3). `undefined` when a line would still be longer
 * than 998 bytes, a word too long to fold (servers refuse such a line: `500 Line too long`).
 */
export function foldedLine(line: string): string | undefined {
  if (line.length <= FOLD_AFTER) return line;
  const lines: string[] = [];
  let start = 0;
  let space = -1;
  // Whether the current line holds more than spaces before `at`: a fold there would leave
  // a line of white space alone, which RFC 5322 forbids.
  let words = false;
  // Never fold before the value's first word: the line would hold the name alone.
  for (let at = line.indexOf(': ') + 2; at < line.length; at++) {
    if (line.charCodeAt(at) !== 0x20) words = true;
    else if (words) space = at;
    if (at - start >= FOLD_AFTER && space > start) {
      lines.push(line.slice(start, space));
      start = space;
      space = -1;
      words = false;
    }
  }
  lines.push(line.slice(start));
  return lines.every((part) => Buffer.byteLength(part) <= MAX_LINE_BYTES) ? lines.join('\r\n') : undefined;
}
