import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp } from './helpers.js';

const { defer, mailbox } = cleanupEach();

const MiB = 1024 * 1024;

describe('smtp server: a message that goes on without end past the size limit', () => {
  it('is answered 552 5.3.4 before its end and the connection closed, nothing stored', async () => {
    const { port, received } = await mailbox({ maxBodyBytes: 1000 });
    const { client } = await RawSmtp.open(port);
    defer(async () => client.close());
    await client.command('EHLO test');
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox@example.org>');
    expect(await client.command('DATA')).toMatch(/^354/);
    const line = Buffer.from(`${'x'.repeat(1022)}\r\n`);
    const block = Buffer.concat(Array.from({ length: 1024 }, () => line));
    // 64 MiB at most, never the end of the message: the server must stop it well before.
    for (let sent = 0; sent < 64 * MiB && !client.closed; sent += block.byteLength) {
      if (!client.socket.write(block)) {
        await new Promise<void>((resolve) => {
          client.socket.once('drain', resolve);
          client.socket.once('close', resolve);
        });
      }
    }
    expect(await client.reply()).toMatch(/^552 5\.3\.4 The message is larger than 1000 bytes/);
    expect(received).toHaveLength(0);
  });
});
