const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Tags after which the text starts a new line. */
const BREAKS = /<(?:br|\/p|\/div|\/h[1-6]|\/li|\/tr|\/blockquote|\/pre|\/table|hr)\b[^>]*>/gi;

/**
 * The text of an HTML document, for a mail that has no plain-text part: scripts, styles and
 * comments dropped, line breaks where paragraphs, headings, list items, rows and `<br>` end,
 * the other tags removed, character references decoded, blank runs tidied.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(BREAKS, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => decodeReference(name) ?? whole);
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function decodeReference(name: string): string | undefined {
  if (name[0] !== '#') return NAMED[name.toLowerCase()];
  const code =
    name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
