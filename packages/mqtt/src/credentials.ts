import type { Credentials } from '@parley/core';

/** The `authorization` value of a user name and password: `Basic <base64 user:password>`. */
export function basicAuthorization(credentials: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** The credentials of an `authorization` value, or `undefined` when it is missing or not `Basic`. */
export function parseAuthorization(value: string | undefined): Credentials | undefined {
  if (value === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(value.trim());
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { kind: 'password', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
