import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createClient } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterEach, describe, expect, it } from 'vitest';

/** A server that accepts every message and records the envelope commands it gets. */
async function envelopeRecorder(): Promise<{ port: number; envelope: string[] }> {
  const envelope: string[] = [];
  const server = createNetServer((socket) => {
    let buffer = '';
    let inData = false;
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.write('220 recorder ESMTP\r\n');
    socket.on('data', (text: string) => {
      buffer += text;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 kept\r\n');
          }
          continue;
        }
        const verb = line.split(/[ :]/)[0]?.toUpperCase();
        if (verb === 'MAIL' || verb === 'RCPT') envelope.push(line);
        if (verb === 'EHLO') socket.write('250-recorder\r\n250 SMTPUTF8\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, envelope };
}

const servers: NetServer[] = [];
const clients: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  for (const server of servers.splice(0)) server.close();
});

async function send(headers: Record<string, string>): Promise<{ status: string; envelope: string[] }> {
  const { port, envelope } = await envelopeRecorder();
  const client = createClient(smtp(`smtp://127.0.0.1:${port}`, { starttls: false }));
  clients.push(client);
  const response = await client.post('/inbox', 'hello', { headers });
  return { status: response.status, envelope };
}

describe('envelope addresses from the from, cc and bcc fields', () => {
  it('keep a quoted local part quoted: the mail goes to "john smith"@, not to smith@', async () => {
    const { status, envelope } = await send({
      from: '"mary ann"@example.com',
      cc: '"john smith"@example.com',
      bcc: 'Jo <"jo doe"@example.com>, plain@example.com',
    });
    expect(status).toBe('ok');
    expect(envelope).toEqual([
      'MAIL FROM:<"mary ann"@example.com>',
      'RCPT TO:<inbox@localhost>',
      'RCPT TO:<"john smith"@example.com>',
      'RCPT TO:<"jo doe"@example.com>',
      'RCPT TO:<plain@example.com>',
    ]);
  });

  it('refuse, before sending, an entry that names no address or one no command can carry', async () => {
    for (const headers of [
      { cc: 'Bob Jones' },
      { bcc: 'X <"x> NOTIFY=NEVER"@b.example>' },
      { from: 'Just A Name' },
    ]) {
      const { port, envelope } = await envelopeRecorder();
      const client = createClient(smtp(`smtp://127.0.0.1:${port}`, { starttls: false }));
      clients.push(client);
      await expect(client.post('/inbox', 'hello', { headers })).rejects.toMatchObject({
        status: 'bad_request',
      });
      expect(envelope).toEqual([]);
    }
  });
});
