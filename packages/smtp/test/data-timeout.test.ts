import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp, waitUntil } from './helpers.js';

const { defer, mailbox } = cleanupEach();

/** A raw connection past EHLO, MAIL FROM and RCPT TO, its DATA answered with 354; closed after the test. */
async function openInData(port: number): Promise<RawSmtp> {
  const { client } = await RawSmtp.open(port);
  defer(async () => client.close());
  expect(await client.command('EHLO test')).toMatch(/^250/);
  expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^250/);
  expect(await client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250/);
  expect(await client.command('DATA')).toMatch(/^354/);
  return client;
}

describe('a message dripped into DATA', () => {
  it('is cut with 421 4.4.2 once dataTimeoutMs has passed since DATA, and nothing of it is kept', async () => {
    const { port, received, failures } = await mailbox({ dataTimeoutMs: 1000 });
    const dripping = await openInData(port);
    dripping.write('Subject: slow\r\n\r\n');
    // A byte at a time, never idle long enough for the idle timeout.
    const drip = setInterval(() => {
      if (!dripping.closed) dripping.write('x');
    }, 50);
    defer(async () => clearInterval(drip));
    await waitUntil(() => dripping.closed, 10_000);
    expect(await dripping.reply()).toMatch(/^421 4\.4\.2 /);
    expect(received).toHaveLength(0);
    await waitUntil(() => failures.length === 1);
    // A message sent at once on a new connection is kept.
    const quick = await openInData(port);
    quick.write('Subject: quick\r\n\r\nat once\r\n.\r\n');
    expect(await quick.reply()).toMatch(/^250 /);
    expect(received).toHaveLength(1);
  });
});
