import { passwordTable } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp, selfSignedCertificate } from './helpers.js';

const { defer, mailbox } = cleanupEach();
const authenticate = passwordTable({ alice: 's3cret' });

async function session(port: number): Promise<RawSmtp> {
  const { client } = await RawSmtp.open(port);
  defer(async () => client.close());
  expect(await client.command('EHLO test')).toMatch(/^250[ -]/);
  return client;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('SMTP server: AUTH on a clear connection', () => {
  for (const [what, options] of [
    ['without a certificate', {}],
    ['with a certificate, before STARTTLS', { tls: selfSignedCertificate() }],
  ] as const) {
    it(`refuses AUTH LOGIN ${what} before asking for the password`, async () => {
      const { port, received } = await mailbox(options, { authenticate });
      const client = await session(port);
      expect(await client.command('AUTH LOGIN')).toMatch(/^538 5\.7\.(0|11) /);
      // a client that goes on anyway is not logged in by its clear-text password
      await client.command(base64('alice'));
      await client.command(base64('s3cret'));
      expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^530 /);
      expect(received).toEqual([]);
    });

    it(`refuses AUTH PLAIN ${what}, with the credentials on a line of their own`, async () => {
      const { port } = await mailbox(options, { authenticate });
      const client = await session(port);
      expect(await client.command('AUTH PLAIN')).toMatch(/^538 5\.7\.(0|11) /);
      expect(await client.command(`AUTH PLAIN ${base64('\0alice\0s3cret')}`)).toMatch(/^538 5\.7\.(0|11) /);
    });
  }

  it('asks for the password on a clear connection with allowInsecureAuth', async () => {
    const { port } = await mailbox({ allowInsecureAuth: true }, { authenticate });
    const client = await session(port);
    expect(await client.command('AUTH LOGIN')).toMatch(/^334 /);
    expect(await client.command(base64('alice'))).toMatch(/^334 /);
    expect(await client.command(base64('s3cret'))).toMatch(/^235 /);
  });
});
