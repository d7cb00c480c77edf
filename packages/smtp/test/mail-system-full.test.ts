import { createClient } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

/** An SMTP server whose mail system is full: every RCPT is answered `452 4.3.1`. */
let server: RawServer;
const commands: string[] = [];

beforeAll(async () => {
  server = await startTalkingServer((socket) => {
    socket.write('220 full.example ESMTP\r\n');
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end !== -1; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        commands.push(line.split(' ')[0]?.toUpperCase() ?? '');
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-full.example\r\n250 PIPELINING\r\n');
        else if (verb === 'RCPT') socket.write('452 4.3.1 Mail system full\r\n');
        else if (verb === 'QUIT') socket.end('221 Bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  });
});
afterAll(() => server.close());

describe('an SMTP server whose mail system is full (452 4.3.1 at RCPT)', () => {
  it('is insufficient_storage, with the server own reply for each recipient, in one transaction', async () => {
    const client = createClient(smtp(`smtp://127.0.0.1:${server.port}`), { retries: 0 });
    try {
      const response = await client.post('/inbox/a', 'hello', { headers: { bcc: 'other@localhost' } });
      expect(response.status).toBe('insufficient_storage');
      expect(response.headers.get('smtp-accepted')).toBe('');
      expect(response.headers.get('smtp-rejected')).toBe(
        'inbox+a@localhost 452 4.3.1 Mail system full; other@localhost 452 4.3.1 Mail system full',
      );
      // One transaction: a full mail system is not a reason to send again in a new one, as a 452 4.5.3 is.
      expect(commands.filter((command) => command === 'MAIL')).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
