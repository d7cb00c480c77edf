import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { refusal } from './support/refusal.js';

/**
 * HTTP, FTP and SMTP URLs name a server, not a place on it: a path or query in one would be
 * dropped (every request path is taken from the root), so it is refused, saying what to drop.
 * MQTT's path is its service prefix and WebSocket's its endpoint, so they take one.
 */
describe('transports whose URL names an origin only', () => {
  it.each([
    ['http', http],
    ['ftp', ftp],
    ['smtp', smtp],
  ] as const)('%s() refuses a URL with a path or a query', (name, make) => {
    expect(refusal(make, `${name}://127.0.0.1:1/base/`)).toEqual({
      status: 'bad_request',
      message: `An ${name}() URL names an origin only; drop "/base/"`,
    });
    expect(refusal(make, `${name}://127.0.0.1:1/?x=1`)?.message).toBe(
      `An ${name}() URL names an origin only; drop "/?x=1"`,
    );
  });

  it.each([
    ['http', http],
    ['ftp', ftp],
    ['smtp', smtp],
  ] as const)('%s() takes the origin, with or without its /', (name, make) => {
    expect(refusal(make, `${name}://127.0.0.1:1`)).toBeUndefined();
    expect(refusal(make, `${name}://user:pw@127.0.0.1:1/`)).toBeUndefined();
  });
});
