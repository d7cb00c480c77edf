const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Tags after which the text starts a new line (matched where a `<` is, sticky). */
const BREAK = /<(?:br|\/p|\/div|\/h[1-6]|\/li|\/tr|\/blockquote|\/pre|\/table|hr)\b/iy;
/** A list item's start tag (matched where a `<` is, sticky). */
const LIST_ITEM = /<li\b/iy;
/** The start of an element whose content is no text (matched anywhere). */
const RAW_ELEMENT = /<(script|style|head)\b/gi;

/**
 * The text of an HTML document, for a mail that has no plain-text part: scripts, styles and
 * comments dropped, line breaks where paragraphs, headings, list items, rows and `<br>` end,
 * the other tags removed, character references decoded, blank runs tidied.
 *
 * Every step takes time in proportion to the HTML's length, whatever it holds: a mail of
 * unclosed `<`, `<!--` or `<script>` must not keep the server busy for minutes, as patterns
 * such as `<[^>]*>` do, trying each `<` to the end of the text.
 */
export function htmlToText(html: string): string {
  const withoutComments = dropComments(html);
  const withoutRaw = dropRawElements(withoutComments);
  const items = replaceTags(withoutRaw, (text, at) => matchesAt(LIST_ITEM, text, at), '\n- ');
  const breaks = replaceTags(items, (text, at) => matchesAt(BREAK, text, at), '\n');
  const text = replaceTags(breaks, () => true, '').replace(
    /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi,
    (whole, name: string) => decodeReference(name) ?? whole,
  );
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Removes `<!-- ... -->` comments; an unclosed one stays (a later step takes it as a tag). */
function dropComments(html: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const start = html.indexOf('<!--', from);
    const end = start === -1 ? -1 : html.indexOf('-->', start + 4);
    if (end === -1) return out + html.slice(from);
    out += html.slice(from, start);
    from = end + 3;
  }
}

/**
 * Removes `script`, `style` and `head` elements with their content, each to its first end tag
 * (`</script >` too). A start tag without an end tag stays (a later step removes the tag). The
 * end tag found last for each name is remembered, so no part of the text is searched twice.
 */
function dropRawElements(html: string): string {
  const found = new Map<string, { from: number; start: number; end: number }>();
  const endOf = (name: string, from: number): number => {
    const known = found.get(name);
    if (known !== undefined && known.from <= from && (known.start === -1 || known.start >= from))
      return known.end;
    const closing = new RegExp(`</${name}\\s*>`, 'gi');
    closing.lastIndex = from;
    const match = closing.exec(html);
    const entry =
      match === null ? { from, start: -1, end: -1 } : { from, start: match.index, end: closing.lastIndex };
    found.set(name, entry);
    return entry.end;
  };
  const start = new RegExp(RAW_ELEMENT.source, RAW_ELEMENT.flags);
  let out = '';
  let kept = 0;
  for (let match = start.exec(html); match !== null; match = start.exec(html)) {
    const end = endOf((match[1] as string).toLowerCase(), start.lastIndex);
    if (end === -1) continue;
    out += html.slice(kept, match.index);
    kept = end;
    start.lastIndex = end;
  }
  return out + html.slice(kept);
}

/**
 * Replaces each tag (a `<` to the next `>`) that `matches` at its `<` with `replacement`; a `<`
 * that does not match, or has no `>` after it, stays as text. The next `>` is remembered, so
 * each character is looked at a bounded number of times.
 */
function replaceTags(
  html: string,
  matches: (html: string, at: number) => boolean,
  replacement: string,
): string {
  let out = '';
  let kept = 0;
  let close = -1;
  for (let open = html.indexOf('<'); open !== -1; open = html.indexOf('<', open + 1)) {
    if (close < open) close = html.indexOf('>', open + 1);
    if (close === -1) break;
    if (!matches(html, open)) continue;
    out += html.slice(kept, open) + replacement;
    kept = close + 1;
    open = close;
  }
  return out + html.slice(kept);
}

/** Whether a sticky pattern matches `text` at `at`. */
function matchesAt(pattern: RegExp, text: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.test(text);
}

function decodeReference(name: string): string | undefined {
  if (name[0] !== '#') return NAMED[name.toLowerCase()];
  const code =
    name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
