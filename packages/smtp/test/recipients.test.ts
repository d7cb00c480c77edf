import { createClient } from '@parley/core';
import { smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { cleanupEach, hasPeer, itWithPeer, run } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const swaks = itWithPeer(hasPeer('swaks', ['--version']));
const msmtp = itWithPeer(hasPeer('msmtp', ['--version']));
const python = itWithPeer(hasPeer(PYTHON, ['-c', 'import smtplib']));

const { defer, mailbox } = cleanupEach();

/**
 * The mailbox service stores what reaches `/inbox/*` (the append that succeeds) and refuses
 * what reaches `/fail` (the create that fails, 550 5.7.1). A message to both must never be
 * answered with a failure for the copy that was kept, nor be kept twice when sent again.
 */
describe('two recipients: the kept copy is answered success, the failing one its failure', () => {
  swaks('swaks: 452 for the second mailbox, 250 for the kept copy; the resend fails alone', async () => {
    const { port, received } = await mailbox();
    const both = await run('swaks', [
      '--server',
      `127.0.0.1:${port}`,
      '--to',
      'inbox+a@localhost,fail@localhost',
    ]);
    expect(both.output).toMatch(/RCPT TO:<fail@localhost>\n<\*\* 452 4\.5\.3 /);
    expect(both.output).toMatch(/<- {2}250 2\.0\.0 OK/);
    expect(received.map((mail) => mail.path)).toEqual(['/inbox/a']);
    const again = await run('swaks', ['--server', `127.0.0.1:${port}`, '--to', 'fail@localhost']);
    expect(again.code).not.toBe(0);
    expect(again.output).toMatch(/550 5\.7\.1 mail to \/fail is refused/);
    expect(received.map((mail) => mail.path)).toEqual(['/inbox/a']);
  });

  python('smtplib: sendmail reports the 452 recipient, delivers the other once', async () => {
    const { port, received } = await mailbox();
    const script = `
import smtplib
s = smtplib.SMTP('127.0.0.1', ${port}, timeout=10)
refused = s.sendmail('p@example.org', ['inbox+p@localhost', 'fail@localhost'], 'Subject: two\\r\\n\\r\\nhi\\r\\n')
print('refused', sorted((k, v[0]) for k, v in refused.items()))
try:
    s.sendmail('p@example.org', list(refused), 'Subject: two\\r\\n\\r\\nhi\\r\\n')
except smtplib.SMTPDataError as e:
    print('resend', e.smtp_code)
s.quit()
`;
    const result = await run(PYTHON, ['-c', script]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain("refused [('fail@localhost', 452)]");
    expect(result.output).toContain('resend 550');
    expect(received.map((mail) => mail.path)).toEqual(['/inbox/p']);
  });

  msmtp(
    'msmtp: refuses the whole message on the 452 (nothing kept), one recipient at a time goes through',
    async () => {
      const { port, received } = await mailbox();
      const args = ['--host=127.0.0.1', `--port=${port}`, '--from=m@example.org', '--'];
      const mail = 'Subject: m\r\n\r\nfrom msmtp\r\n';
      const both = await run('msmtp', [...args, 'inbox+m@localhost', 'fail@localhost'], mail);
      expect(both.code).not.toBe(0);
      expect(both.output).toMatch(/452 4\.5\.3/);
      expect(received).toHaveLength(0);
      expect((await run('msmtp', [...args, 'inbox+m@localhost'], mail)).code).toBe(0);
      const failing = await run('msmtp', [...args, 'fail@localhost'], mail);
      expect(failing.output).toMatch(/550 5\.7\.1/);
      expect(received.map((kept) => kept.path)).toEqual(['/inbox/m']);
    },
  );

  it('Parley client: sends the 452 recipient again in a new transaction; each gets its own reply', async () => {
    const { url, received } = await mailbox();
    const client = createClient(smtp(url), { retries: 0 });
    defer(() => client.close());
    const mixed = await client.post('/inbox/a', 'hi', { headers: { bcc: 'fail@localhost' } });
    expect(mixed.status).toBe('forbidden');
    expect(mixed.headers.get('smtp-accepted')).toBe('inbox+a@localhost');
    expect(mixed.headers.get('smtp-rejected')).toMatch(/^fail@localhost 550 5\.7\.1 /);
    expect(received.map((mail) => mail.path)).toEqual(['/inbox/a']);
    const all = await client.post('/inbox/b', 'hi', {
      headers: { cc: 'inbox+c@localhost, Inbox D <inbox+d@localhost>' },
    });
    expect(all.status).toBe('ok');
    expect(all.headers.get('smtp-accepted')).toBe('inbox+b@localhost, inbox+c@localhost, inbox+d@localhost');
    expect(received.map((mail) => mail.path)).toEqual(['/inbox/a', '/inbox/b', '/inbox/c', '/inbox/d']);
    expect(received[1]?.headers.cc).toContain('inbox+c@localhost');
    expect(received[0]?.headers.bcc).toBeUndefined();
  });

  it('Parley client over LMTP: one transaction, one reply per recipient', async () => {
    const { url, received } = await mailbox({ lmtp: true });
    const client = createClient(smtp(url.replace('smtp:', 'lmtp:')), { retries: 0 });
    defer(() => client.close());
    const mixed = await client.post('/inbox/a', 'hi', {
      headers: { bcc: 'fail@localhost, inbox+b@localhost' },
    });
    expect(mixed.status).toBe('forbidden');
    expect(mixed.headers.get('smtp-accepted')).toBe('inbox+a@localhost, inbox+b@localhost');
    expect(received.map((mail) => mail.path).sort()).toEqual(['/inbox/a', '/inbox/b']);
  });
});
