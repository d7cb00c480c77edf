import { createHash, timingSafeEqual } from 'node:crypto';
import type { Authenticate } from './auth.js';
import { loginProblem } from './login-problem.js';

/**
 * Builds an {@link Authenticate} hook from a table of user names and passwords, compared in
 * constant time. A login some protocol cannot carry (see {@link loginProblem}) is a `TypeError`.
 *
 * @param users - the passwords, by user name
 * @returns The hook, for the `authenticate` option of createServer.
 *
 * @example
 * ```ts
 * const server = createServer(router, { authenticate: passwordTable({ alice: 'secret' }) });
 * await server.listen(ftp('ftp://127.0.0.1:2121'));
 * ```
 */
export function passwordTable(users: Readonly<Record<string, string>>): Authenticate {
  for (const [user, password] of Object.entries(users)) {
    const problem = loginProblem(user, password);
    if (problem !== undefined) throw new TypeError(`passwordTable: ${problem}`);
  }
  return (credentials) => {
    if (credentials.kind !== 'password') return null;
    const expected = Object.hasOwn(users, credentials.username) ? users[credentials.username] : undefined;
    if (expected === undefined) return null;
    return sameSecret(expected, credentials.password) ? { name: credentials.username } : null;
  };
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
