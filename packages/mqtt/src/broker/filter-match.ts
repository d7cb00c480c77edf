/**
 * Whether an MQTT topic filter (`a/+/c`, `a/#`) matches a topic name, as a broker matches
 * subscriptions: `+` is one level, `#` (last) this level and every one below; topics starting
 * with `$` match no filter starting with a wildcard.
 */
export function filterMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const wanted = filter.split('/');
  const levels = topic.split('/');
  for (let i = 0; i < wanted.length; i += 1) {
    const level = wanted[i];
    if (level === '#') return true;
    if (i >= levels.length) return false;
    if (level !== '+' && level !== levels[i]) return false;
  }
  return wanted.length === levels.length;
}
