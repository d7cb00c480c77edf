import { STATUSES } from '@parley/core';
import { roundTripStatuses } from '@parley/core/transport';
import {
  FTP_CONTRACT,
  FTP_STATUS_MAP,
  FTP_STATUS_TABLE,
  type FtpReplyKind,
  ftpReply,
  quotePath,
  statusFromFtpReply,
} from '@parley/ftp';
import { describe, expect, it } from 'vitest';

const KINDS: FtpReplyKind[] = ['transfer', 'file', 'directory', 'info', 'command'];

describe('status map', () => {
  it('round-trips every declared status through every kind of reply', () => {
    for (const status of FTP_CONTRACT.statuses) {
      for (const kind of KINDS) {
        const reply = ftpReply(status, kind, 'some detail', '/a "b"');
        expect(
          statusFromFtpReply(reply.code, reply.text),
          `${status} as ${kind}: ${reply.code} ${reply.text}`,
        ).toBe(status);
      }
    }
  });

  it('declares exactly the statuses FTP_STATUS_MAP round-trips', () => {
    expect(FTP_CONTRACT.statuses).toEqual(roundTripStatuses(FTP_STATUS_MAP));
    expect(FTP_STATUS_MAP.toWire('forbidden')).toEqual({ code: 550, text: 'Forbidden' });
    expect(FTP_STATUS_MAP.fromWire({ code: 550, text: 'Permission denied' })).toBe('forbidden');
  });

  it('declares every status but unsupported, which is never sent', () => {
    expect([...FTP_CONTRACT.statuses].sort()).toEqual(
      STATUSES.filter((status) => status !== 'unsupported').sort(),
    );
  });

  it('uses the codes of the table', () => {
    const codes = Object.fromEntries(FTP_STATUS_TABLE.map((row) => [row.status, row.code]));
    expect(codes).toMatchObject({
      ok: 226,
      not_found: 550,
      forbidden: 550,
      unauthenticated: 530,
      too_large: 552,
      bad_request: 501,
      not_implemented: 502,
      method_not_allowed: 504,
      conflict: 553,
      internal: 451,
      cancelled: 426,
    });
    expect(ftpReply('ok', 'file').code).toBe(250);
    expect(ftpReply('created', 'directory', undefined, '/d').text).toBe('"/d" created');
    expect(ftpReply('ok', 'info').code).toBe(213);
  });

  it('tags only the statuses their code does not name, and never lets a message pass for a tag', () => {
    expect(ftpReply('not_found', 'transfer', 'gone').text).toBe('gone');
    expect(ftpReply('forbidden', 'transfer', 'read-only').text).toBe('Forbidden: read-only');
    expect(ftpReply('not_found', 'transfer', 'Forbidden fruit').text).toBe('Not found: Forbidden fruit');
    expect(ftpReply('not_found', 'transfer', 'permission to view was not found').text).toMatch(
      /^Not found: /,
    );
    expect(ftpReply('precondition_failed', 'transfer', 'it changed')).toEqual({
      code: 553,
      text: 'Precondition failed: it changed',
    });
    expect(statusFromFtpReply(553, 'Precondition failed: it changed')).toBe('precondition_failed');
    expect(statusFromFtpReply(553, 'Could not create file.')).toBe('conflict');
    expect(ftpReply('internal', 'transfer', 'x\r\n226 injected').text).toBe('x 226 injected');
  });

  it('reads replies of other servers by code, with permission texts as forbidden', () => {
    expect(statusFromFtpReply(550, '550 No such file or directory.')).toBe('not_found');
    expect(statusFromFtpReply(550, 'Permission denied.')).toBe('forbidden');
    expect(statusFromFtpReply(553, 'Could not create file: permission denied')).toBe('forbidden');
    expect(statusFromFtpReply(421, 'Service not available, closing control connection.')).toBe('unavailable');
    expect(statusFromFtpReply(421, 'Timed out: no command for 300 s')).toBe('timeout');
    expect(statusFromFtpReply(530, 'Login incorrect.')).toBe('unauthenticated');
    expect(statusFromFtpReply(257, '"/dir" created')).toBe('created');
    expect(statusFromFtpReply(226, '226-Created: done')).toBe('created');
    expect(statusFromFtpReply(299)).toBe('ok');
    expect(statusFromFtpReply(499)).toBe('unavailable');
    expect(statusFromFtpReply(599)).toBe('internal');
  });

  it('quotes paths as RFC 959 asks', () => {
    expect(quotePath('/a "b"/')).toBe('"/a ""b""/"');
  });
});
