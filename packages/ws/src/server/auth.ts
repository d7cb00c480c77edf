import type { Credentials } from '@parley/core';

/**
 * The credentials of an upgrade's `Authorization` field: `Basic` (user name and password) or
 * `Bearer` (a token); `undefined` when absent, of another scheme or malformed.
 */
export function credentialsOf(field: string | undefined): Credentials | undefined {
  if (field === undefined) return undefined;
  const match = /^(\S+)\s+(\S+)\s*$/.exec(field);
  if (match === null) return undefined;
  const scheme = (match[1] as string).toLowerCase();
  const value = match[2] as string;
  if (scheme === 'bearer') return { kind: 'token', token: value };
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { kind: 'password', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
