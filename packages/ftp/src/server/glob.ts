/** Whether a name holds a glob character: `*`, `?` or `[`. */
export function hasGlob(name: string): boolean {
  return /[*?[]/.test(name);
}

/** One step of a glob: any run, any one character, one of a set, or one given character. */
type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | {
      readonly kind: 'set';
      readonly negated: boolean;
      readonly items: readonly (readonly [string, string])[];
    }
  | { readonly kind: 'char'; readonly char: string };

/**
 * The names a shell glob matches: `*` any run of characters, `?` one character, `[...]` (or
 * `[!...]`, with ranges such as `a-z`) one of a set; a leading `.` is matched only by a pattern
 * that starts with `.`. Matching takes at most (name length × pattern length) steps, whatever
 * the pattern (a client's `*a*a*a...b` cannot hold the server).
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  const tokens = parse([...pattern]);
  const dotted = pattern.startsWith('.');
  return (name) => (dotted || !name.startsWith('.')) && matches(tokens, [...name]);
}

function parse(chars: readonly string[]): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    const close = char === '[' ? chars.indexOf(']', i + 2) : -1;
    if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') tokens.push({ kind: 'any' });
    else if (close !== -1) {
      tokens.push(setToken(chars.slice(i + 1, close)));
      i = close;
    } else tokens.push({ kind: 'char', char });
  }
  return tokens;
}

function setToken(body: readonly string[]): Token {
  const negated = body[0] === '!';
  const chars = negated ? body.slice(1) : body;
  const items: (readonly [string, string])[] = [];
  for (let i = 0; i < chars.length; i++) {
    const from = chars[i] as string;
    const to = chars[i + 2];
    if (chars[i + 1] === '-' && to !== undefined) {
      items.push([from, to]);
      i += 2;
    } else items.push([from, from]);
  }
  return { kind: 'set', negated, items };
}

function matchesOne(token: Token, char: string): boolean {
  if (token.kind === 'any') return true;
  if (token.kind === 'char') return token.char === char;
  if (token.kind === 'star') return false;
  const inSet = token.items.some(([from, to]) => char >= from && char <= to);
  return inSet !== token.negated;
}

/** Matches with one star remembered at a time: the last star takes one more character on a miss. */
function matches(tokens: readonly Token[], chars: readonly string[]): boolean {
  let t = 0;
  let c = 0;
  let star = -1;
  let starAt = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token?.kind === 'star') {
      star = t++;
      starAt = c;
    } else if (token !== undefined && matchesOne(token, chars[c] as string)) {
      t++;
      c++;
    } else if (star !== -1) {
      t = star + 1;
      c = ++starAt;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}
