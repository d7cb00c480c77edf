/**
 * Whether two header field names are the same regardless of case (`Content-Length` and
 * `content-length`). It compares character by character: unlike `toLowerCase()`, it makes no
 * string for names in ASCII, as field names are (tokens: letters, digits and ``!#$%&'*+-.^_`|~``).
 *
 * @param name - a field name, in any case
 * @param other - the name to compare it with, in any case
 *
 * @example
 * ```ts
 * sameFieldName('Content-Length', 'content-length'); // true
 * ```
 */
export function sameFieldName(name: string, other: string): boolean {
  if (name.length !== other.length) return false;
  for (let i = 0; i < name.length; i++) {
    const a = name.charCodeAt(i);
    const b = other.charCodeAt(i);
    if (a === b) continue;
    // Not a token: compared as `toLowerCase()` compares it (a mail or MQTT name may be anything).
    if (a > 127 || b > 127) return name.toLowerCase() === other.toLowerCase();
    if (lowerCode(a) !== lowerCode(b)) return false;
  }
  return true;
}

/**
 * `name.toLowerCase()`, without making a new string for a name that is lower-case ASCII already
 * (most are: `toLowerCase()` would make one all the same).
 *
 * @param name - a field name, in any case
 */
export function lowerFieldName(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if ((code >= 65 && code <= 90) || code > 127) return name.toLowerCase();
  }
  return name;
}

/** An ASCII letter's code in lower case; any other code as it is. */
function lowerCode(code: number): number {
  return code >= 65 && code <= 90 ? code + 32 : code;
}
