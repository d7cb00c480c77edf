import { createClient, createRouter, createServer, ParleyError, passwordTable, respond } from '@parley/core';
import { parseMail, smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { cleanupEach, selfSignedCertificate, startMailbox } from './helpers.js';

const { defer, mailbox } = cleanupEach();

function client(url: string, options: Parameters<typeof smtp>[1] = {}) {
  const made = createClient(smtp(url, options), { retries: 0, timeoutMs: 5000 });
  defer(() => made.close());
  return made;
}

describe('smtp client', () => {
  it('sends a POST as a message and returns the acknowledgement as headers', async () => {
    const { url, received } = await mailbox();
    const response = await client(url).post('/inbox/hello.txt', 'hi there', {
      headers: { subject: 'Grüße', 'content-type': 'text/plain; charset=utf-8', 'x-trace': 'abc' },
    });
    expect(response.status).toBe('ok');
    expect(response.headers.get('message-id')).toMatch(/^<.+@localhost>$/);
    expect(response.headers.get('smtp-reply')).toBe(`250 2.0.0 OK ${response.headers.get('message-id')}`);
    expect((await response.body.bytes()).byteLength).toBe(0);
    expect(received[0]).toMatchObject({
      path: '/inbox/hello.txt',
      body: 'hi there',
      headers: {
        subject: 'Grüße',
        'x-trace': 'abc',
        from: 'parley@localhost',
        to: 'inbox+hello.txt@localhost',
      },
    });
  });

  it('maps refusals to statuses: 550 at RCPT is not_found, 550 5.7.1 at DATA is forbidden', async () => {
    const { url } = await mailbox();
    const smtpClient = client(url);
    const missing = await smtpClient.post('/nowhere', 'x');
    expect(missing.status).toBe('not_found');
    expect(missing.headers.get('smtp-reply')).toMatch(/^550 5\.1\.1 /);
    const refused = await smtpClient.post('/fail', 'x');
    expect(refused.status).toBe('forbidden');
    expect(refused.headers.get('smtp-reply')).toBe('550 5.7.1 mail to /fail is refused');
    const after = await smtpClient.post('/inbox', 'still fine');
    expect(after.status).toBe('ok');
  });

  it('gets too_large for a message over the server limit', async () => {
    const { url, received } = await mailbox({ maxBodyBytes: 4096 });
    const response = await client(url).post('/inbox', 'x'.repeat(10_000));
    expect(response.status).toBe('too_large');
    expect(received).toHaveLength(0);
  });

  it('authenticates from URL credentials over STARTTLS; bad ones are unauthenticated', async () => {
    const tls = selfSignedCertificate();
    const { url, received } = await mailbox({ tls }, { authenticate: passwordTable({ alice: 's3cret' }) });
    const address = new URL(url);
    const trust = { tls: { ca: tls.cert }, starttls: 'required' as const };
    const good = await client(`smtp://alice:s3cret@${address.host}`, trust).post('/inbox', 'secret mail');
    expect(good.status).toBe('ok');
    expect(received[0]?.principal).toBe('alice');
    const bad = await client(`smtp://alice:nope@${address.host}`, trust).post('/inbox', 'x');
    expect(bad.status).toBe('unauthenticated');
    expect(bad.headers.get('smtp-reply')).toMatch(/^535 5\.7\.8/);
  });

  it('speaks implicit TLS with smtps://', async () => {
    const tls = selfSignedCertificate();
    const server = createServer(async () => respond('ok'));
    defer(() => server.close({ timeoutMs: 1000 }));
    const listener = await server.listen(smtp('smtps://127.0.0.1:0', { tls, earlyTalkerDelayMs: 0 }));
    const response = await client(listener.url, { tls: { ca: tls.cert } }).post('/any', 'over tls');
    expect(response.status).toBe('ok');
  });

  it('sends a message/rfc822 body as it is', async () => {
    const { url, received } = await mailbox();
    const raw =
      'Subject: raw one\r\nFrom: Bob <bob@example.org>\r\nContent-Type: text/plain\r\n\r\nraw body\r\n';
    const response = await client(url).post('/inbox', raw, {
      headers: { 'content-type': 'message/rfc822', 'x-added': 'yes', from: 'Bob <bob@example.org>' },
    });
    expect(response.status).toBe('ok');
    expect(received[0]).toMatchObject({
      body: 'raw body\r\n',
      headers: { subject: 'raw one', 'x-added': 'yes', 'content-type': 'text/plain' },
    });
  });

  it('fails with a retryable unavailable when nothing listens', async () => {
    const { url, server } = await startMailbox();
    await server.close({ timeoutMs: 100 });
    const call = client(url).post('/inbox', 'x');
    await expect(call).rejects.toSatisfy(
      (error: unknown) => error instanceof ParleyError && error.status === 'unavailable' && error.retryable,
    );
  });

  it('parses a received message with parseMail', async () => {
    const seen: { subject?: string | undefined; text?: string | undefined; from?: string | undefined }[] = [];
    const server = createServer(
      createRouter().post('/inbox', async (request) => {
        const mail = await parseMail(request);
        seen.push({ subject: mail.subject, text: mail.text?.trim(), from: mail.from?.address });
        return respond('ok');
      }),
    );
    defer(() => server.close({ timeoutMs: 1000 }));
    const listener = await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }));
    const response = await client(listener.url).post('/inbox', 'Hello in text', {
      headers: {
        subject: 'Parsed',
        from: 'Carol <carol@example.org>',
        'content-type': 'text/plain; charset=utf-8',
      },
    });
    expect(response.status).toBe('ok');
    expect(seen[0]).toEqual({ subject: 'Parsed', text: 'Hello in text', from: 'carol@example.org' });
  });
});
