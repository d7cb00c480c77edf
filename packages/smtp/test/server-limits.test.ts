import { connect } from 'node:net';
import { passwordTable } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp, waitUntil } from './helpers.js';

const { defer, mailbox } = cleanupEach();

async function session(port: number, helo = 'EHLO test'): Promise<RawSmtp> {
  const { client, greeting } = await RawSmtp.open(port);
  defer(async () => client.close());
  expect(greeting).toMatch(/^220 /);
  expect(await client.command(helo)).toMatch(/^250/);
  return client;
}

const message = (body: string, subject = 'test') =>
  `Subject: ${subject}\r\nFrom: a@example.org\r\n\r\n${body}\r\n.\r\n`;

describe('smtp server: envelope', () => {
  it('refuses an unknown mailbox at RCPT TO with 550 5.1.1, and a mailbox without POST with 550 5.2.1', async () => {
    const { port } = await mailbox();
    const client = await session(port);
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^250/);
    expect(await client.command('RCPT TO:<nobody@example.org>')).toMatch(/^550 5\.1\.1 /);
    expect(await client.command('RCPT TO:<readonly@example.org>')).toMatch(/^550 5\.2\.1 /);
    expect(await client.command('RCPT TO:<inbox@example.org>')).toMatch(/^250/);
  });

  it('refuses a malformed address escape with 553 5.1.3', async () => {
    const { port } = await mailbox();
    const client = await session(port);
    await client.command('MAIL FROM:<a@example.org>');
    expect(await client.command('RCPT TO:<inbox+bad=zz@example.org>')).toMatch(/^553 5\.1\.3 /);
  });

  it('refuses recipients past maxRecipients with 452 4.5.3 and delivers to the accepted ones', async () => {
    const { port, received } = await mailbox({ maxRecipients: 2, lmtp: true });
    const client = await session(port, 'LHLO test');
    await client.command('MAIL FROM:<a@example.org>');
    expect(await client.command('RCPT TO:<inbox+a@example.org>')).toMatch(/^250/);
    expect(await client.command('RCPT TO:<inbox+b@example.org>')).toMatch(/^250/);
    expect(await client.command('RCPT TO:<inbox+c@example.org>')).toMatch(/^452 4\.5\.3 /);
    expect(await client.command('DATA')).toMatch(/^354/);
    client.write(message('two of three'));
    expect(await client.reply()).toMatch(/^250 2\.0\.0 /);
    expect(await client.reply()).toMatch(/^250 2\.0\.0 /);
    expect(received.map((mail) => mail.path).sort()).toEqual(['/inbox/a', '/inbox/b']);
  });

  it('greets with 421 past maxConnections', async () => {
    const { port } = await mailbox({ maxConnections: 1 });
    await session(port);
    const { client, greeting } = await RawSmtp.open(port);
    defer(async () => client.close());
    expect(greeting).toMatch(/^421 /);
  });

  it('refuses a client that talks before the greeting (earlyTalkerDelayMs)', async () => {
    const { port } = await mailbox({ earlyTalkerDelayMs: 300 });
    const socketClient = connect(port, '127.0.0.1');
    defer(async () => {
      socketClient.destroy();
    });
    socketClient.setEncoding('utf8');
    let text = '';
    socketClient.on('data', (chunk: string) => {
      text += chunk;
    });
    socketClient.write('EHLO early\r\n');
    await waitUntil(() => text.includes('421'));
    expect(text).toMatch(/421 .*talk too soon/i);
  });

  it('refuses new transactions with 421 once the listener stops accepting', async () => {
    const { port, server } = await mailbox();
    const client = await session(port);
    const listener = server.listeners[0];
    await listener?.stopAccepting();
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^421 4\.3\.2 /);
  });
});

describe('smtp server: DATA', () => {
  it('turns top-level header fields into request headers and the content into the body', async () => {
    const { port, received } = await mailbox();
    const client = await session(port);
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox+hello.txt@example.org>');
    await client.command('DATA');
    client.write(
      'Subject: =?UTF-8?B?SGVsbG8gd8O2cmxk?=\r\nX-Long: one\r\n two\r\n\r\nline 1\r\n..dotted\r\n.\r\n',
    );
    expect(await client.reply()).toMatch(/^250 2\.0\.0 OK /);
    expect(received[0]).toMatchObject({
      path: '/inbox/hello.txt',
      headers: { subject: 'Hello wörld', 'x-long': 'one two' },
      body: 'line 1\r\n.dotted\r\n',
    });
  });

  it('answers with the handler status and its text: forbidden is 550 5.7.1', async () => {
    const { port } = await mailbox();
    const client = await session(port);
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<fail@example.org>');
    await client.command('DATA');
    client.write(message('x'));
    expect(await client.reply()).toBe('550 5.7.1 mail to /fail is refused');
  });

  it('refuses an oversized message with 552 5.3.4 while it streams; nothing is stored', async () => {
    let handling = 0;
    const { port, received, failures } = await mailbox(
      { maxBodyBytes: 1000 },
      {
        middleware: [
          (next) => (request) => {
            handling++;
            return next(request);
          },
        ],
      },
    );
    const client = await session(port);
    expect(await client.command('EHLO again')).toContain('SIZE 1000');
    expect(await client.command('MAIL FROM:<a@example.org> SIZE=5000')).toMatch(/^552 /);
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox@example.org>');
    await client.command('DATA');
    client.write('Subject: big\r\n\r\nstart\r\n');
    await waitUntil(() => handling > 0);
    client.write(message('x'.repeat(5000)));
    expect(await client.reply()).toMatch(/^552 5\.3\.4 /);
    expect(received).toHaveLength(0);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ status: 'too_large' });
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox@example.org>');
    await client.command('DATA');
    client.write(message('small'));
    expect(await client.reply()).toMatch(/^250 /);
    expect(received).toHaveLength(1);
  });

  it('refuses an oversized message to several recipients with 552, storing nothing', async () => {
    const { port, received } = await mailbox({ maxBodyBytes: 1000 });
    const client = await session(port);
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox+a@example.org>');
    await client.command('RCPT TO:<inbox+b@example.org>');
    await client.command('DATA');
    client.write(message('x'.repeat(5000)));
    expect(await client.reply()).toMatch(/^552 5\.3\.4 /);
    expect(received).toHaveLength(0);
  });

  it('delivers one request per LMTP recipient, each with the whole message (spooled past memory)', async () => {
    const { port, received } = await mailbox({ lmtp: true });
    const client = await session(port, 'LHLO test');
    const big = `${'0123456789abcdef'.repeat(4096 * 8)}`;
    await client.command('MAIL FROM:<a@example.org>');
    for (const name of ['a', 'b', 'c'])
      expect(await client.command(`RCPT TO:<inbox+${name}@example.org>`)).toMatch(/^250/);
    await client.command('DATA');
    client.write(message(big, 'multi'));
    for (let i = 0; i < 3; i++) expect(await client.reply()).toMatch(/^250 /);
    expect(received.map((mail) => mail.path).sort()).toEqual(['/inbox/a', '/inbox/b', '/inbox/c']);
    for (const mail of received) {
      expect(mail.body).toBe(`${big}\r\n`);
      expect(mail.headers.subject).toBe('multi');
    }
  });

  it('in SMTP mode takes one mailbox per transaction: another gets 452 4.5.3 and its own transaction', async () => {
    const { port, received } = await mailbox();
    const client = await session(port);
    await client.command('MAIL FROM:<a@example.org>');
    expect(await client.command('RCPT TO:<inbox@example.org>')).toMatch(/^250 /);
    expect(await client.command('RCPT TO:<inbox@other.example>')).toMatch(/^250 /);
    expect(await client.command('RCPT TO:<fail@example.org>')).toMatch(/^452 4\.5\.3 .*fail@example\.org/);
    await client.command('DATA');
    client.write(message('mixed'));
    expect(await client.reply()).toMatch(/^250 2\.0\.0 /);
    expect(received.map((mail) => mail.path)).toEqual(['/inbox']);
    await client.command('MAIL FROM:<a@example.org>');
    expect(await client.command('RCPT TO:<fail@example.org>')).toMatch(/^250 /);
    await client.command('DATA');
    client.write(message('mixed'));
    expect(await client.reply()).toMatch(/^550 5\.7\.1 /);
    expect(received).toHaveLength(1);
  });

  it('in LMTP mode answers each recipient after DATA', async () => {
    const { port, received } = await mailbox({ lmtp: true });
    const client = await session(port, 'LHLO test');
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox+one@example.org>');
    await client.command('RCPT TO:<fail@example.org>');
    await client.command('RCPT TO:<inbox+two@example.org>');
    await client.command('DATA');
    client.write(message('per recipient'));
    expect(await client.reply()).toMatch(/^250 2\.0\.0 /);
    expect(await client.reply()).toMatch(/^550 5\.7\.1 /);
    expect(await client.reply()).toMatch(/^250 2\.0\.0 /);
    expect(received.map((mail) => mail.path).sort()).toEqual(['/inbox/one', '/inbox/two']);
  });

  it('cuts a client that stalls mid-DATA at the socket timeout; nothing is stored; later mail works', async () => {
    const { port, received, failures } = await mailbox({ socketTimeoutMs: 300 });
    const client = await session(port);
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox@example.org>');
    await client.command('DATA');
    client.write('Subject: stalled\r\n\r\nhalf a mess');
    await waitUntil(() => client.closed, 5000);
    await waitUntil(() => failures.length === 1);
    expect(received).toHaveLength(0);
    const next = await session(port);
    await next.command('MAIL FROM:<a@example.org>');
    await next.command('RCPT TO:<inbox@example.org>');
    await next.command('DATA');
    next.write(message('after the stall'));
    expect(await next.reply()).toMatch(/^250 /);
    expect(received).toHaveLength(1);
  });

  it('aborts the request signal when the client disconnects mid-DATA', async () => {
    const { port, received, failures } = await mailbox();
    const client = await session(port);
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox@example.org>');
    await client.command('DATA');
    client.write('Subject: cut\r\n\r\npart of it');
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.close();
    await waitUntil(() => failures.length === 1);
    expect(failures[0]).toMatchObject({ status: 'cancelled' });
    expect(received).toHaveLength(0);
  });
});

describe('smtp server: AUTH', () => {
  const authenticate = passwordTable({ alice: 's3cret' });
  const plain = (user: string, pass: string) => Buffer.from(`\0${user}\0${pass}`).toString('base64');

  it('requires AUTH before MAIL FROM (530 5.7.0) and refuses bad credentials with 535 5.7.8', async () => {
    const { port } = await mailbox({ allowInsecureAuth: true }, { authenticate });
    const client = await session(port);
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^530 5\.7\.0 /);
    expect(await client.command(`AUTH PLAIN ${plain('alice', 'wrong')}`)).toMatch(/^535 5\.7\.8 /);
    expect(await client.command(`AUTH PLAIN ${plain('alice', 's3cret')}`)).toMatch(/^235 /);
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^250 /);
  });

  it('accepts AUTH LOGIN and hands the principal to the handler', async () => {
    const { port, received } = await mailbox({ allowInsecureAuth: true }, { authenticate });
    const client = await session(port);
    expect(await client.command('AUTH LOGIN')).toMatch(/^334 /);
    expect(await client.command(Buffer.from('alice').toString('base64'))).toMatch(/^334 /);
    expect(await client.command(Buffer.from('s3cret').toString('base64'))).toMatch(/^235 /);
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox@example.org>');
    await client.command('DATA');
    client.write(message('from alice'));
    expect(await client.reply()).toMatch(/^250 /);
    expect(received[0]?.principal).toBe('alice');
  });

  it('refuses AUTH on a clear connection unless allowInsecureAuth', async () => {
    const { port } = await mailbox({}, { authenticate });
    const client = await session(port);
    expect(await client.command(`AUTH PLAIN ${plain('alice', 's3cret')}`)).toMatch(/^538 5\.7\.11 /);
  });
});
