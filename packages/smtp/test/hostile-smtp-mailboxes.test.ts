import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp } from './helpers.js';

const { defer, mailbox } = cleanupEach();

/** Sends one message to `recipient` over a raw connection; resolves with the replies to RCPT and DATA. */
async function mail(port: number, recipient: string): Promise<{ rcpt: string; data: string }> {
  const { client } = await RawSmtp.open(port);
  defer(async () => {
    client.socket.destroy();
  });
  await client.command('EHLO hostile.test');
  await client.command('MAIL FROM:<a@hostile.test>');
  const rcpt = await client.command(`RCPT TO:<${recipient}>`);
  if (!rcpt.startsWith('250')) return { rcpt, data: '' };
  await client.command('DATA');
  const data = await client.command('Subject: q\r\n\r\nthe body\r\n.');
  await client.command('QUIT');
  return { rcpt, data };
}

describe('mailboxes whose local part holds a ? (SMTP has no query part)', () => {
  it('delivers to the mailbox named, never to the one named by the part before the ?', async () => {
    const { port, received } = await mailbox();
    const { rcpt, data } = await mail(port, 'inbox+what?x@localhost');
    expect(rcpt).toMatch(/^250/);
    expect(data).toMatch(/^250/);
    expect(received.map((message) => message.path)).toEqual(['/inbox/what?x']);
  });

  it('refuses at RCPT a mailbox whose route exists only for the part before the ?', async () => {
    const { port, received } = await mailbox();
    const { rcpt } = await mail(port, 'fail?x@localhost');
    expect(rcpt).toMatch(/^550/);
    expect(received).toEqual([]);
  });
});
