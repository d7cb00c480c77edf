/** Whether a string holds a control character (C0, DEL), which no protocol's login line carries. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Why a login cannot be carried by every protocol, or `undefined` when it can: HTTP Basic
 * splits `user:password` at the first colon, so a user name may not hold one; FTP sends the
 * user name and the password on a line each, so neither may hold a control character (CR, LF,
 * NUL...). An empty user name is refused too.
 *
 * @param user - the user name
 * @param password - the password
 * @returns The problem, as a sentence, or `undefined`.
 *
 * @example
 * ```ts
 * loginProblem('a:b', 'secret'); // "the user name may not contain a colon (HTTP Basic splits user:password at the first one)"
 * loginProblem('alice', 'secret'); // undefined
 * ```
 */
export function loginProblem(user: string, password: string): string | undefined {
  if (user === '') return 'the user name is empty';
  if (user.includes(':')) {
    return 'the user name may not contain a colon (HTTP Basic splits user:password at the first one)';
  }
  if (hasControl(user)) return 'the user name may not contain control characters (CR, LF, NUL...)';
  if (hasControl(password)) return 'the password may not contain control characters (CR, LF, NUL...)';
  return undefined;
}
