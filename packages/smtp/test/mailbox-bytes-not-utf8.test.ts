import { addressToPath, pathToAddress } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp } from './helpers.js';

const { defer, mailbox } = cleanupEach();

/** The reply to RCPT TO for a recipient written as these bytes. */
async function rcptReply(port: number, recipient: Buffer): Promise<string> {
  const { client } = await RawSmtp.open(port);
  defer(async () => {
    client.socket.destroy();
  });
  await client.command('EHLO bytes.test');
  await client.command('MAIL FROM:<a@bytes.test>');
  client.write(Buffer.concat([Buffer.from('RCPT TO:<'), recipient, Buffer.from('>\r\n')]));
  return client.reply();
}

describe('mailboxes whose local part is not UTF-8', () => {
  it('are refused at RCPT (553 5.1.3), not merged into one mailbox named with U+FFFD', async () => {
    const { port, received } = await mailbox();
    for (const bytes of [[0xff], [0xfe], [0xc3]]) {
      const raw = Buffer.concat([Buffer.from('inbox+a'), Buffer.from(bytes), Buffer.from('@localhost')]);
      expect(await rcptReply(port, raw)).toMatch(/^553 5\.1\.3 .*not UTF-8/);
    }
    expect(await rcptReply(port, Buffer.from('inbox+a=FF@localhost'))).toMatch(/^553 5\.1\.3 .*not UTF-8/);
    expect(received).toEqual([]);
  });

  it('still map a path holding U+FFFD itself, escaped, both ways', () => {
    const address = pathToAddress('/inbox/a\uFFFD');
    expect(address).toBe('inbox+a=EF=BF=BD@localhost');
    expect(addressToPath(address)).toBe('/inbox/a\uFFFD');
    expect(() => addressToPath('inbox+a=C3@localhost')).toThrow(/not UTF-8/);
  });
});
