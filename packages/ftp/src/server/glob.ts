/** Whether a name holds a glob character: `*`, `?` or `[`. */
export function hasGlob(name: string): boolean {
  return /[*?[]/.test(name);
}

/**
 * The names a shell glob matches: `*` any run of characters, `?` one character, `[...]` (or
 * `[!...]`) one of a set; a leading `.` is matched only by a pattern that starts with `.`.
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    const close = char === '[' ? pattern.indexOf(']', i + 2) : -1;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (close !== -1) {
      const set = pattern
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/[\\\]]/g, '\\$&');
      source += `[${set}]`;
      i = close;
    } else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 'su');
  const dotted = pattern.startsWith('.');
  return (name) => (dotted || !name.startsWith('.')) && regex.test(name);
}
