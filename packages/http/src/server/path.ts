/**
 * The decoded path of a request target such as `/notes/a%20b.txt?x=1`, without its query:
 * each segment is percent-decoded on its own. Returns `undefined` for a target that is not a
 * path (`*`, an absolute URL: see {@link originForm}), a bad escape, or an escape that would hide a `/` or a NUL inside a
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

/**
 * The origin form (`/path?query`) of a request target: an absolute-form target
 * (`http://host/path?query`, which RFC 9112 says a server must accept) loses its scheme and
 * authority; any other target is returned as it is.
 */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === 47 /* / */) return target;
  const authority = /^https?:\/\/[^/?#]*/i.exec(target);
  if (authority === null) return target;
  const rest = target.slice(authority[0].length);
  return rest.charCodeAt(0) === 47 /* / */ ? rest : `/${rest}`;
}

/**
 * The authority (`host:port`) an absolute-form target (`http://host:port/path`) names, which
 * RFC 9112 (section 3.2.2) makes the request's host in place of its `Host` field; `undefined`
 * for any other form.
 */
export function targetAuthority(target: string): string | undefined {
  if (target.charCodeAt(0) === 47 /* / */) return undefined;
  return /^https?:\/\/([^/?#]*)/i.exec(target)?.[1];
}
