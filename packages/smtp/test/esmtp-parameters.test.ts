import { passwordTable } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp } from './helpers.js';

const cleanup = cleanupEach();

/** Opens a raw conversation past EHLO on a fresh mailbox server; returns the EHLO reply too. */
async function conversation(
  ...mailbox: Parameters<typeof cleanup.mailbox>
): Promise<{ client: RawSmtp; ehlo: string }> {
  const { port } = await cleanup.mailbox(...mailbox);
  const { client } = await RawSmtp.open(port);
  cleanup.defer(async () => client.close());
  return { client, ehlo: await client.command('EHLO client.example') };
}

describe('ESMTP parameters on MAIL FROM and RCPT TO', () => {
  it('refuses a MAIL FROM parameter no advertised extension defines with 555 5.5.4, naming it', async () => {
    const { client } = await conversation();
    expect(await client.command('MAIL FROM:<a@example.org> FOO=BAR')).toMatch(
      /^555 5\.5\.4 MAIL FROM parameter FOO is not recognized$/,
    );
    expect(await client.command('MAIL FROM:<a@example.org> XYZZY')).toMatch(/^555 5\.5\.4 .*XYZZY/);
    // AUTH is not advertised by a server without authenticate: its parameter is unknown too.
    expect(await client.command('MAIL FROM:<a@example.org> AUTH=<>')).toMatch(/^555 5\.5\.4 .*AUTH/);
    // The refusal starts no transaction: a clean MAIL FROM is accepted after it.
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^250 /);
  });

  it('refuses a RCPT TO parameter no advertised extension defines with 555 5.5.4', async () => {
    const { client, ehlo } = await conversation();
    // DSN is not advertised: its NOTIFY is as unknown as FOO.
    expect(ehlo).not.toContain('DSN');
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^250 /);
    expect(await client.command('RCPT TO:<inbox@localhost> FOO=BAR')).toMatch(
      /^555 5\.5\.4 RCPT TO parameter FOO is not recognized$/,
    );
    expect(await client.command('RCPT TO:<inbox@localhost> NOTIFY=NEVER')).toMatch(/^555 5\.5\.4 .*NOTIFY/);
    expect(await client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250 /);
  });

  it('takes the parameters of every extension EHLO advertises', async () => {
    const { client, ehlo } = await conversation();
    for (const extension of ['8BITMIME', 'SMTPUTF8', 'SIZE']) expect(ehlo).toContain(extension);
    expect(await client.command('MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME SMTPUTF8')).toMatch(
      /^250 /,
    );
    expect(await client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250 /);
    expect(await client.command('DATA')).toMatch(/^354 /);
    expect(await client.command('Subject: hi\r\n\r\nhello\r\n.')).toMatch(/^250 /);
  });

  it('takes AUTH= on MAIL FROM when AUTH is advertised', async () => {
    const authenticate = passwordTable({ alice: 's3cret' });
    const { client, ehlo } = await conversation({ allowInsecureAuth: true }, { authenticate });
    expect(ehlo).toContain('AUTH PLAIN');
    const credentials = Buffer.from('\0alice\0s3cret').toString('base64');
    expect(await client.command(`AUTH PLAIN ${credentials}`)).toMatch(/^235 /);
    expect(await client.command('MAIL FROM:<a@example.org> AUTH=<>')).toMatch(/^250 /);
  });
});
