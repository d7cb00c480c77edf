/**
 * The decoded path of a request target such as `/notes/a%20b.txt?x=1`, without its query:
 * each segment is percent-decoded on its own. Returns `undefined` for a target that is not a
 * path (`*`, absolute URLs), a bad escape, or an escape that would hide a `/` or a NUL inside a
 * segment: all answered `400`.
 */
export function decodeTargetPath(path: string): string | undefined {
  if (path.charCodeAt(0) !== 47 /* / */) return undefined;
  if (!path.includes('%')) return path;
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (decoded.includes('/') || decoded.includes('\0')) return undefined;
    segments[i] = decoded;
  }
  return segments.join('/');
}
