import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';

/** A login some protocol could never carry is a configuration error, not a login nobody can use. */
describe('readConfig and the login', () => {
  it.each([
    ['PARLEY_USER', 'a:b', /PARLEY_USER and PARLEY_PASSWORD: the user name may not contain a colon/],
    ['PARLEY_USER', 'a\u0007b', /the user name may not contain control characters/],
    ['PARLEY_PASSWORD', 'pass\u0000word', /the password may not contain control characters/],
  ])('refuses %s=%j with a clear message', (name, value, message) => {
    expect(() => readConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readConfig({ [name]: value })).toThrow(message);
  });

  it('takes a password with a colon and a user name with an @', () => {
    expect(readConfig({ PARLEY_USER: 'a@b', PARLEY_PASSWORD: 'p:w' })).toMatchObject({
      user: 'a@b',
      password: 'p:w',
    });
  });
});
