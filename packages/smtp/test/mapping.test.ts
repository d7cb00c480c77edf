import { STATUSES } from '@parley/core';
import {
  addressToPath,
  parseSmtpReply,
  pathToAddress,
  SMTP_STATUSES,
  smtpToStatus,
  statusToSmtp,
} from '@parley/smtp';
import { describe, expect, it } from 'vitest';

describe('address <-> path', () => {
  it.each([
    ['/notes', 'notes@localhost'],
    ['/notes/hello.txt', 'notes+hello.txt@localhost'],
    ['/notes/', 'notes+@localhost'],
    ['/a b/c+d=e', 'a=20b+c=2Bd=3De@localhost'],
    ['/notes/.hidden', 'notes+=2Ehidden@localhost'],
    ['/notes/a..b', 'notes+a.=2Eb@localhost'],
    ['/café/ü', 'caf=C3=A9+=C3=BC@localhost'],
  ])('%s <-> %s', (path, address) => {
    expect(pathToAddress(path)).toBe(address);
    expect(addressToPath(address)).toBe(path);
  });

  it('uses the given domain and ignores the domain when reading an address', () => {
    expect(pathToAddress('/inbox', 'example.org')).toBe('inbox@example.org');
    expect(addressToPath('inbox+x@elsewhere.net')).toBe('/inbox/x');
    expect(addressToPath('"inbox+x"@example.org')).toBe('/inbox/x');
    expect(addressToPath('Inbox+X@example.org')).toBe('/Inbox/X');
  });

  it('refuses what has no mapping', () => {
    expect(() => pathToAddress('/')).toThrow(/root/);
    expect(() => addressToPath('@example.org')).toThrow(/local part/);
    expect(() => addressToPath('a=4@example.org')).toThrow(/escape/);
    expect(() => addressToPath('a=2Fb@example.org')).toThrow(/cannot hold/);
    // A `/` written as it is would split a segment the same way.
    expect(() => addressToPath('a/b@example.org')).toThrow(/cannot hold/);
    expect(() => addressToPath('"a/b"@example.org')).toThrow(/cannot hold/);
  });

  it('never climbs above the root', () => {
    expect(addressToPath('..+..+etc+passwd@x')).toBe('/etc/passwd');
  });
});

describe('status <-> SMTP reply', () => {
  it('round-trips every status the contract declares', () => {
    for (const status of SMTP_STATUSES) {
      const { code, enhanced } = statusToSmtp(status);
      expect(smtpToStatus(code, enhanced), status).toBe(status);
    }
  });

  it('gives every status a reply of the right class', () => {
    for (const status of STATUSES) {
      const { code, enhanced } = statusToSmtp(status);
      expect(String(code)[0]).toBe(enhanced[0]);
    }
    expect(statusToSmtp('ok')).toEqual({ code: 250, enhanced: '2.0.0' });
    expect(statusToSmtp('not_found')).toEqual({ code: 550, enhanced: '5.1.1' });
    expect(statusToSmtp('too_large')).toEqual({ code: 552, enhanced: '5.3.4' });
  });

  it('answers a failed precondition as the mailbox state refusing it, read back as conflict', () => {
    expect(statusToSmtp('precondition_failed')).toEqual({ code: 550, enhanced: '5.2.0' });
    expect(smtpToStatus(550, '5.2.0')).toBe('conflict');
    expect(SMTP_STATUSES).not.toContain('precondition_failed');
    expect(SMTP_STATUSES).toContain('conflict');
  });

  it('reads common replies of other servers', () => {
    expect(smtpToStatus(535, '5.7.8')).toBe('unauthenticated');
    expect(smtpToStatus(530)).toBe('unauthenticated');
    expect(smtpToStatus(550)).toBe('not_found');
    expect(smtpToStatus(550, '5.7.1')).toBe('forbidden');
    expect(smtpToStatus(552)).toBe('too_large');
    expect(smtpToStatus(421, '4.4.2')).toBe('unavailable');
    expect(smtpToStatus(452, '4.5.3')).toBe('too_many_requests');
    expect(smtpToStatus(500, '5.5.1')).toBe('bad_request');
    expect(smtpToStatus(502, '5.5.1')).toBe('not_implemented');
    expect(smtpToStatus(499)).toBe('unavailable');
    expect(smtpToStatus(599)).toBe('internal');
  });

  it('parses reply lines', () => {
    expect(parseSmtpReply('550 5.1.1 No such mailbox')).toEqual({
      code: 550,
      enhanced: '5.1.1',
      text: 'No such mailbox',
    });
    expect(parseSmtpReply('250 OK')).toEqual({ code: 250, enhanced: undefined, text: 'OK' });
  });
});
