import { createClient, createRouter, createServer, type Request, respond } from '@parley/core';
import { type ParsedMail, parseMail, smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { cleanupEach, hasPeer, itWithPeer, RawSmtp, run } from './helpers.js';

const swaks = itWithPeer(hasPeer('swaks', ['--version']));
const snail = itWithPeer(hasPeer('s-nail', ['-V']));
const msmtp = itWithPeer(hasPeer('msmtp', ['--version']));

const { defer, mailbox } = cleanupEach();

/** A service whose handler parses every mail with parseMail. */
async function parsing(): Promise<{ port: number; url: string; mails: ParsedMail[] }> {
  const mails: ParsedMail[] = [];
  const router = createRouter().post('/notes/:name', async (request: Request) => {
    mails.push(await parseMail(request));
    return respond('ok');
  });
  const server = createServer(router);
  const listener = await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }));
  defer(() => server.close({ timeoutMs: 1000 }));
  return { port: Number(new URL(listener.url).port), url: listener.url, mails };
}

const swaksTo = (port: number, to: string, extra: string[]) =>
  run('swaks', ['--server', `127.0.0.1:${port}`, '--to', to, ...extra]);

describe('what the Parley client sends', () => {
  it('sends a string body as text/plain; charset=utf-8, bytes as application/octet-stream, a content-type as given', async () => {
    const { url, received } = await mailbox();
    const client = createClient(smtp(url), { retries: 0 });
    defer(() => client.close());
    await client.post('/inbox/text', 'hi, café');
    await client.post('/inbox/bytes', new Uint8Array([1, 2, 3]));
    await client.post('/inbox/markdown', '# hi', { headers: { 'content-type': 'text/markdown' } });
    expect(received.map((mail) => [mail.path, mail.headers['content-type'], mail.body])).toEqual([
      ['/inbox/text', 'text/plain; charset=utf-8', 'hi, café'],
      ['/inbox/bytes', 'application/octet-stream', '\x01\x02\x03'],
      ['/inbox/markdown', 'text/markdown', '# hi'],
    ]);
    const { url: parseUrl, mails } = await parsing();
    const parser = createClient(smtp(parseUrl), { retries: 0 });
    defer(() => parser.close());
    await parser.post('/notes/hello.txt', 'hi', { headers: { subject: 'Hello' } });
    expect(mails[0]?.subject).toBe('Hello');
    expect(mails[0]?.text?.trim()).toBe('hi');
    expect(mails[0]?.attachments).toHaveLength(0);
  });
});

describe('what the handler receives', () => {
  swaks('HTML-only mail: the HTML with content-type text/html; parseMail gives its text', async () => {
    const html = '<p>Hello <b>HTML</b> &amp; friends</p><p>second</p>';
    const { port, received } = await mailbox();
    const header = ['--add-header', 'Content-Type: text/html; charset=utf-8', '--body', html];
    expect((await swaksTo(port, 'inbox+html@localhost', header)).code).toBe(0);
    expect(received[0]?.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(received[0]?.body).toContain(html);
    const parsed = await parsing();
    expect((await swaksTo(parsed.port, 'notes+a@localhost', header)).code).toBe(0);
    const attached = ['--attach-type', 'text/html', '--attach-body', html];
    expect((await swaksTo(parsed.port, 'notes+b@localhost', attached)).code).toBe(0);
    for (const mail of parsed.mails) expect(mail.text).toBe('Hello HTML & friends\nsecond');
  });

  snail('a quoted-printable text body (s-nail) arrives decoded, its encoding header gone', async () => {
    const { port, received } = await mailbox();
    const result = await run(
      's-nail',
      [
        '-:/',
        '-Sv15-compat',
        `-Smta=smtp://127.0.0.1:${port}`,
        '-Ssmtp-auth=none',
        '-Ssendcharsets=utf-8',
        '-Smime-encoding=quoted-printable',
        '-s',
        'from s-nail',
        '-r',
        's@example.org',
        'inbox+qp@localhost',
      ],
      `caf\u00e9 au lait, a line long enough to be folded by a soft line break ${'x'.repeat(80)}\n`,
    );
    expect(result.code, result.output).toBe(0);
    expect(received[0]?.headers['content-transfer-encoding']).toBeUndefined();
    expect(received[0]?.body).toBe(
      `café au lait, a line long enough to be folded by a soft line break ${'x'.repeat(80)}\r\n`,
    );
  });

  it('decodes quoted-printable split anywhere between chunks', async () => {
    const { port, received } = await mailbox();
    const { client } = await RawSmtp.open(port);
    defer(async () => client.close());
    await client.command('EHLO test');
    await client.command('MAIL FROM:<a@example.org>');
    await client.command('RCPT TO:<inbox@localhost>');
    await client.command('DATA');
    client.write('Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=C');
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.write('3=A9 =3D soft=');
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.write('\r\nbreak=\r');
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.write('\nend\r\n.\r\n');
    expect(await client.reply()).toMatch(/^250 /);
    expect(received[0]?.body).toBe('café = softbreakend\r\n');
  });

  msmtp('multipart/alternative (msmtp): parseMail picks the text part, decoded', async () => {
    const parsed = await parsing();
    const mail = [
      'Subject: alternative',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'plain caf=C3=A9',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>html version</p>',
      '--b1--',
      '',
    ].join('\r\n');
    const args = [
      '--host=127.0.0.1',
      `--port=${parsed.port}`,
      '--from=m@example.org',
      '--',
      'notes+alt@localhost',
    ];
    const result = await run('msmtp', args, mail);
    expect(result.code, result.output).toBe(0);
    expect(parsed.mails[0]?.text?.trim()).toBe('plain café');
    expect(parsed.mails[0]?.html).toContain('html version');
  });
});
