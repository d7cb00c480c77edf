import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, passwordTable } from '@parley/core';
import { smtp } from '@parley/smtp';
import { describe, expect } from 'vitest';
import { freePort } from '../../../test/support/ports.js';
import { cleanupEach, hasPeer, itWithPeer, run, selfSignedCertificate, waitUntil } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const swaks = itWithPeer(hasPeer('swaks', ['--version']));
/** swaks needs Perl's Net::SSLeay (Debian libnet-ssleay-perl) for -tls. */
const swaksTls = itWithPeer(hasPeer('swaks', ['--version']) && hasPeer('perl', ['-MNet::SSLeay', '-e1']));
const curl = itWithPeer(hasPeer('curl', ['--version']));
const python = itWithPeer(hasPeer(PYTHON, ['-c', 'import smtplib']));
const aiosmtpd = itWithPeer(hasPeer(PYTHON, ['-c', 'import aiosmtpd']));

const { defer, mailbox } = cleanupEach();

const swaksArgs = (port: number, to: string, extra: string[] = []) => [
  '--server',
  `127.0.0.1:${port}`,
  '--from',
  'sender@example.org',
  '--to',
  to,
  '--header',
  'Subject: from swaks',
  '--body',
  'hello from swaks',
  ...extra,
];

describe('interop: swaks', () => {
  swaks('delivers a plain message', async () => {
    const { port, received } = await mailbox();
    const result = await run('swaks', swaksArgs(port, 'inbox+swaks.txt@localhost'));
    expect(result.code, result.output).toBe(0);
    expect(received[0]).toMatchObject({ path: '/inbox/swaks.txt', headers: { subject: 'from swaks' } });
    expect(received[0]?.body).toContain('hello from swaks');
  });

  swaks.each(['PLAIN', 'LOGIN'])(
    'authenticates with AUTH %s; a wrong password gets 535 5.7.8',
    async (mechanism) => {
      const authenticate = passwordTable({ alice: 's3cret' });
      const { port, received } = await mailbox({ allowInsecureAuth: true }, { authenticate });
      const auth = ['--auth', mechanism, '--auth-user', 'alice', '--auth-password', 's3cret'];
      const result = await run('swaks', swaksArgs(port, 'inbox@localhost', auth));
      expect(result.code, result.output).toBe(0);
      expect(received[0]?.principal).toBe('alice');
      const wrong = ['--auth', mechanism, '--auth-user', 'alice', '--auth-password', 'nope'];
      const refused = await run('swaks', swaksArgs(port, 'inbox@localhost', wrong));
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/535 5\.7\.8/);
    },
  );

  swaksTls('upgrades with STARTTLS (-tls) and authenticates', async () => {
    const tls = selfSignedCertificate();
    const { port, received } = await mailbox({ tls }, { authenticate: passwordTable({ alice: 's3cret' }) });
    const auth = ['-tls', '--auth', 'PLAIN', '--auth-user', 'alice', '--auth-password', 's3cret'];
    const result = await run('swaks', swaksArgs(port, 'inbox@localhost', auth));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/STARTTLS/);
    expect(received[0]?.principal).toBe('alice');
  });

  swaks('is refused with 552 for an oversized message and 550 5.1.1 for an unknown mailbox', async () => {
    const { port, received } = await mailbox({ maxBodyBytes: 2000 });
    const big = await run('swaks', [
      ...swaksArgs(port, 'inbox@localhost').slice(0, -2),
      '--body',
      'x'.repeat(10_000),
    ]);
    expect(big.code).not.toBe(0);
    expect(big.output).toMatch(/552 5\.3\.4/);
    const unknown = await run('swaks', swaksArgs(port, 'nobody@localhost'));
    expect(unknown.code).not.toBe(0);
    expect(unknown.output).toMatch(/RCPT TO[^\n]*\n[^\n]*550 5\.1\.1/);
    expect(received).toHaveLength(0);
  });
});

describe('interop: curl', () => {
  curl('uploads a message with --mail-from, --mail-rcpt and -T', async () => {
    const { port, received } = await mailbox();
    const file = join(mkdtempSync(join(tmpdir(), 'parley-curl-')), 'mail.eml');
    writeFileSync(file, 'Subject: from curl\r\nFrom: c@example.org\r\n\r\nhello from curl\r\n');
    const result = await run('curl', [
      '-sS',
      `smtp://127.0.0.1:${port}`,
      '--mail-from',
      'c@example.org',
      '--mail-rcpt',
      'inbox+curl@localhost',
      '-T',
      file,
    ]);
    expect(result.code, result.output).toBe(0);
    expect(received[0]).toMatchObject({ path: '/inbox/curl', headers: { subject: 'from curl' } });
    expect(received[0]?.body).toBe('hello from curl\r\n');
  });
});

const pythonSend = (port: number, steps: string) => `
import smtplib, ssl
s = smtplib.SMTP('127.0.0.1', ${port}, timeout=10)
s.ehlo()
${steps}
s.sendmail('p@example.org', ['inbox+py@localhost'], 'Subject: from python\\r\\n\\r\\nhello from python\\r\\n')
s.quit()
`;

describe('interop: Python smtplib', () => {
  python('sends a plain message', async () => {
    const { port, received } = await mailbox();
    const result = await run(PYTHON, ['-c', pythonSend(port, '')]);
    expect(result.code, result.output).toBe(0);
    expect(received[0]).toMatchObject({ path: '/inbox/py', body: 'hello from python\r\n' });
  });

  python('logs in (AUTH) after STARTTLS', async () => {
    const tls = selfSignedCertificate();
    const { port, received } = await mailbox({ tls }, { authenticate: passwordTable({ alice: 's3cret' }) });
    const steps =
      "s.starttls(context=ssl._create_unverified_context())\ns.ehlo()\ns.login('alice', 's3cret')";
    const result = await run(PYTHON, ['-c', pythonSend(port, steps)]);
    expect(result.code, result.output).toBe(0);
    expect(received[0]?.principal).toBe('alice');
  });

  python('gets SMTPAuthenticationError (535) for a wrong password', async () => {
    const { port } = await mailbox(
      { allowInsecureAuth: true },
      { authenticate: passwordTable({ alice: 's3cret' }) },
    );
    const result = await run(PYTHON, ['-c', pythonSend(port, "s.login('alice', 'nope')")]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/SMTPAuthenticationError: \(535/);
  });
});

describe('interop: our client against aiosmtpd', () => {
  aiosmtpd('delivers messages that aiosmtpd stores in a Maildir', async () => {
    const port = await freePort();
    const dir = join(mkdtempSync(join(tmpdir(), 'parley-aiosmtpd-')), 'maildir');
    const child = spawn(
      PYTHON,
      ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', dir],
      {
        stdio: 'ignore',
      },
    );
    defer(async () => {
      child.kill();
    });
    const client = createClient(smtp(`smtp://127.0.0.1:${port}`, { domain: 'example.org' }), { retries: 0 });
    defer(() => client.close());
    let response = await client.post('/notes/first.txt', 'x').catch(() => undefined);
    const until = Date.now() + 10_000;
    while (response === undefined && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response = await client.post('/notes/first.txt', 'x').catch(() => undefined);
    }
    expect(response?.status).toBe('ok');
    const body = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const sent = await client.post('/notes/bytes.bin', body, {
      headers: { subject: 'Bytes', 'x-note': 'kept' },
    });
    expect(sent.status).toBe('ok');
    expect(sent.headers.get('smtp-reply')).toMatch(/^250 /);
    await waitUntil(() => readdirSync(join(dir, 'new')).length === 2);
    const messages = readdirSync(join(dir, 'new')).map((name) =>
      readFileSync(join(dir, 'new', name), 'utf8'),
    );
    const bytes = messages.find((text) => text.includes('Subject: Bytes')) ?? '';
    expect(bytes).toContain('To: notes+bytes.bin@example.org');
    expect(bytes).toContain('X-Note: kept');
    expect(bytes).toContain(`Message-ID: ${sent.headers.get('message-id')}`);
    const content = bytes
      .split(/\r?\n\r?\n/)
      .slice(1)
      .join('\n')
      .replace(/\s+/g, '');
    expect(Buffer.from(content, 'base64').equals(body)).toBe(true);
  });
});
