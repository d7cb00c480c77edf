import type { Credentials } from '@parley/core';

/**
 * The credentials of an `Authorization` header field: `Basic` (user name and password, base64)
 * or `Bearer` (a token). `undefined` when absent, of another scheme or malformed.
 */
export function parseAuthorization(field: string | undefined): Credentials | undefined {
  if (field === undefined) return undefined;
  const space = field.indexOf(' ');
  if (space === -1) return undefined;
  const scheme = field.slice(0, space).toLowerCase();
  const value = field.slice(space + 1).trim();
  if (value === '') return undefined;
  if (scheme === 'bearer') return { kind: 'token', token: value };
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { kind: 'password', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The `Authorization` field value of HTTP Basic credentials. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
