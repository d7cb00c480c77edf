import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp, waitUntil } from './helpers.js';

const { defer, mailbox } = cleanupEach();

describe('a message dripped into DATA', () => {
  it('is cut with 421 4.4.2 once dataTimeoutMs has passed since DATA, and nothing of it is kept', async () => {
    const { port, received, failures } = await mailbox({ dataTimeoutMs: 1000 });
    const dripping = await RawSmtp.open(port);
    defer(async () => dripping.client.close());
    expect(await dripping.client.command('EHLO test')).toMatch(/^250/);
    expect(await dripping.client.command('MAIL FROM:<a@example.org>')).toMatch(/^250/);
    expect(await dripping.client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250/);
    expect(await dripping.client.command('DATA')).toMatch(/^354/);
    dripping.client.write('Subject: slow\r\n\r\n');
    // A byte at a time, never idle long enough for the idle timeout.
    const drip = setInterval(() => {
      if (!dripping.client.closed) dripping.client.write('x');
    }, 50);
    defer(async () => clearInterval(drip));
    await waitUntil(() => dripping.client.closed, 10_000);
    expect(await dripping.client.reply()).toMatch(/^421 4\.4\.2 /);
    expect(received).toHaveLength(0);
    await waitUntil(() => failures.length === 1);
    // A message sent at once on a new connection is kept.
    const quick = await RawSmtp.open(port);
    defer(async () => quick.client.close());
    expect(await quick.client.command('EHLO test')).toMatch(/^250/);
    expect(await quick.client.command('MAIL FROM:<a@example.org>')).toMatch(/^250/);
    expect(await quick.client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250/);
    expect(await quick.client.command('DATA')).toMatch(/^354/);
    quick.client.write('Subject: quick\r\n\r\nat once\r\n.\r\n');
    expect(await quick.client.reply()).toMatch(/^250 /);
    expect(received).toHaveLength(1);
  });
});
