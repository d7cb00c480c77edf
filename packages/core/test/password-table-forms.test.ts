import { loginProblem, passwordTable } from '@parley/core';
import { describe, expect, it } from 'vitest';

/**
 * A login every protocol can carry: HTTP Basic splits `user:password` at the first colon, and
 * FTP's USER and PASS are one line each, so a user name with a colon or either part with a
 * control character could never log in over some protocol. Such a table is refused at once.
 */
describe('the logins of a password table', () => {
  it.each([
    ['a colon in the user name', 'a:b', 'pw', /user name .*:/],
    ['a line break in the user name', 'a\nb', 'pw', /user name .*control/],
    ['a NUL in the password', 'alice', 'p\0w', /password .*control/],
    ['a CR in the password', 'alice', 'p\rw', /password .*control/],
    ['an empty user name', '', 'pw', /user name .*empty/],
  ])('refuses %s, saying why', (_what, user, password, message) => {
    expect(loginProblem(user, password)).toMatch(message);
    expect(() => passwordTable({ [user]: password })).toThrow(TypeError);
  });

  it.each([
    ['a@b', 'p:w'],
    ['ünïcode', 'pässwörd'],
    ['sp ace', ' lead and trail '],
    ['alice', ''],
  ])('takes %s / %s', (user, password) => {
    expect(loginProblem(user, password)).toBeUndefined();
    expect(() => passwordTable({ [user]: password })).not.toThrow();
  });
});
