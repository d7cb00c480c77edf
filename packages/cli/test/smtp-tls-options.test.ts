import { mustStartTls } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { smtpTlsOptions } from '../src/smtp-tls.js';

describe('the SMTP TLS options of the command', () => {
  it('without --ssl, upgrades when offered, the certificate unverified, as curl never fails on one', () => {
    expect(smtpTlsOptions('smtp://127.0.0.1:2525', undefined, undefined, mustStartTls)).toEqual({
      starttls: true,
      tls: { rejectUnauthorized: false },
    });
  });

  it('still requires a verified STARTTLS for a password sent to another host, --ssl or not', () => {
    for (const startTls of [undefined, 'try'] as const) {
      expect(smtpTlsOptions('smtp://me:secret@mail.example.com', undefined, startTls, mustStartTls)).toEqual({
        starttls: 'required',
      });
    }
  });

  it('--ssl verifies when offered; --ssl-reqd requires; --cacert is verified too; smtps is TLS', () => {
    const url = 'smtp://127.0.0.1:2525';
    expect(smtpTlsOptions(url, undefined, 'try', mustStartTls)).toEqual({ starttls: true });
    expect(smtpTlsOptions(url, undefined, 'required', mustStartTls)).toEqual({ starttls: 'required' });
    expect(smtpTlsOptions(url, { ca: 'PEM' }, undefined, mustStartTls)).toEqual({
      starttls: true,
      tls: { ca: 'PEM' },
    });
    expect(smtpTlsOptions('smtps://127.0.0.1:465', undefined, 'required', mustStartTls)).toEqual({});
  });
});
