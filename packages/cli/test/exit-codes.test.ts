import { ParleyError } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../src/exit.js';

describe('exitCodeOf', () => {
  it('is 7 (cannot connect) for a connection that was never made', () => {
    expect(
      exitCodeOf(
        new ParleyError(
          'unavailable',
          'Cannot reach the MQTT broker at 127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1',
        ),
      ),
    ).toBe(7);
    expect(exitCodeOf(new ParleyError('unavailable', 'Connection refused by the server'))).toBe(7);
  });

  it("is 6 (cannot resolve) for a socket's ENOTFOUND under a library's own code (nodemailer's EDNS)", () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), {
      code: 'EDNS',
      originalCode: 'ENOTFOUND',
    });
    expect(exitCodeOf(new ParleyError('unavailable', dns.message, { cause: dns }))).toBe(6);
  });

  it('is 56 (receive error) for a connection lost after it was made, whose message speaks of the connection', () => {
    expect(exitCodeOf(new ParleyError('unavailable', 'The connection closed (code 1006)'))).toBe(56);
    expect(exitCodeOf(new ParleyError('unavailable', 'FTP connection failed: read ECONNRESET'))).toBe(56);
  });
});
