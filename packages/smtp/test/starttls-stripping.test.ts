import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createClient, ParleyError } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterEach, describe, expect, it } from 'vitest';
import { mustStartTls } from '../src/client/starttls-policy.js';
import { selfSignedCertificate } from './helpers.js';

/**
 * A server in the middle that strips TLS: it never offers STARTTLS (or refuses it with
 * `starttlsReply`), accepts any AUTH and any message, and records every line it gets.
 */
async function strippingServer(
  extensions: string[],
  starttlsReply: string,
): Promise<{ port: number; lines: string[] }> {
  const lines: string[] = [];
  const server = createNetServer((socket) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.write('220 relay ESMTP\r\n');
    socket.on('data', (text: string) => {
      buffer += text;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        lines.push(line);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') {
          const all = ['relay', ...extensions];
          socket.write(all.map((e, i) => `250${i === all.length - 1 ? ' ' : '-'}${e}\r\n`).join(''));
        } else if (verb === 'STARTTLS') socket.write(`${starttlsReply}\r\n`);
        else if (verb === 'AUTH') socket.write('235 2.7.0 ok\r\n');
        else if (verb === 'DATA') socket.write('354 go on\r\n');
        else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, lines };
}

const servers: NetServer[] = [];
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) server.close();
});

async function send(url: string, options: Parameters<typeof smtp>[1]) {
  const client = createClient(smtp(url, options), { retries: 0, timeoutMs: 5000 });
  clients.push(client);
  return client.post('/inbox', 'the secret body');
}

const { cert } = selfSignedCertificate();

describe('smtp:// client with tls options against a server that strips STARTTLS', () => {
  for (const [what, extensions, reply] of [
    ['does not offer STARTTLS', ['AUTH PLAIN LOGIN'], '502 5.5.1 unknown command'],
    ['answers STARTTLS with 454', ['STARTTLS', 'AUTH PLAIN LOGIN'], '454 4.7.0 TLS not available'],
  ] as const) {
    it(`fails with a ParleyError, sending neither AUTH nor the message, when the server ${what}`, async () => {
      const relay = await strippingServer([...extensions], reply);
      const sent = send(`smtp://alice:s3cret@127.0.0.1:${relay.port}`, { tls: { ca: cert } });
      await expect(sent).rejects.toSatisfy(
        (error) =>
          error instanceof ParleyError &&
          error.status === 'unavailable' &&
          !error.retryable &&
          /STARTTLS/.test(error.message) &&
          error.message.includes(reply.slice(0, 3)),
      );
      expect(relay.lines.filter((line) => !/^(EHLO|STARTTLS|QUIT)\b/.test(line))).toEqual([]);
    });
  }

  it("still speaks in clear text with starttls: false, the caller's explicit choice", async () => {
    const relay = await strippingServer(['AUTH PLAIN LOGIN'], '502 no');
    const response = await send(`smtp://127.0.0.1:${relay.port}`, { tls: { ca: cert }, starttls: false });
    expect(response.status).toBe('ok');
    expect(relay.lines).toContain('DATA');
  });
});

describe('when STARTTLS is required', () => {
  const url = (host: string, userinfo = '') => new URL(`smtp://${userinfo}${host}:2525/`);
  it('is required when tls options are given, unless starttls says otherwise', () => {
    expect(mustStartTls(url('127.0.0.1'), { tls: { ca: cert } })).toBe(true);
    expect(mustStartTls(url('127.0.0.1'), { tls: { ca: cert }, starttls: true })).toBe(false);
    expect(mustStartTls(url('127.0.0.1'), { tls: { ca: cert }, starttls: false })).toBe(false);
    expect(mustStartTls(url('127.0.0.1'), { starttls: 'required' })).toBe(true);
    expect(mustStartTls(new URL('smtps://127.0.0.1:465/'), { tls: { ca: cert } })).toBe(false);
  });

  it('is required for a password sent to a host other than this one', () => {
    expect(mustStartTls(url('mail.example.com', 'alice:pw@'), {})).toBe(true);
    expect(mustStartTls(url('192.0.2.7', 'alice:pw@'), {})).toBe(true);
    expect(mustStartTls(url('mail.example.com', 'alice:pw@'), { starttls: false })).toBe(false);
    expect(mustStartTls(url('mail.example.com'), {})).toBe(false);
    for (const host of ['127.0.0.1', '127.1.2.3', '[::1]', 'localhost']) {
      expect(mustStartTls(url(host, 'alice:pw@'), {})).toBe(false);
    }
  });

  it("with starttls: 'required', a refused STARTTLS is a ParleyError and no AUTH is sent", async () => {
    const relay = await strippingServer(['AUTH PLAIN LOGIN'], '502 5.5.1 unknown command');
    const sent = send(`smtp://alice:s3cret@127.0.0.1:${relay.port}`, { starttls: 'required' });
    await expect(sent).rejects.toBeInstanceOf(ParleyError);
    expect(relay.lines.some((line) => line.startsWith('AUTH'))).toBe(false);
  });
});
