import type { Credentials } from '../auth.js';

/**
 * The credentials of an `Authorization` header field: `Basic` (user name and password, base64
 * of UTF-8) or `Bearer` (a token). `undefined` when absent, of another scheme or malformed.
 *
 * @param field - the field value, if the request has one
 * @returns The credentials, or `undefined`.
 *
 * @example
 * ```ts
 * parseAuthorization('Basic YWxpY2U6c2VjcmV0'); // { kind: 'password', username: 'alice', password: 'secret' }
 * parseAuthorization('Bearer abc'); // { kind: 'token', token: 'abc' }
 * ```
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
  const decoded = decodeBase64Utf8(value);
  const colon = decoded?.indexOf(':') ?? -1;
  if (decoded === undefined || colon === -1) return undefined;
  return { kind: 'password', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * The `Authorization` field value of HTTP Basic credentials (UTF-8, as RFC 7617's `charset=UTF-8`).
 *
 * @param username - the user name
 * @param password - the password
 * @returns The field value, `Basic` and the base64 of `username:password`.
 *
 * @example
 * ```ts
 * formatBasicAuth('alice', 'secret'); // "Basic YWxpY2U6c2VjcmV0"
 * ```
 */
export function formatBasicAuth(username: string, password: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${username}:${password}`)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

function decodeBase64Utf8(value: string): string | undefined {
  try {
    const binary = atob(value);
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
