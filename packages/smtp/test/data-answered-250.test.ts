import { createClient, ParleyError } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

/**
 * An SMTP server that answers DATA with `250` twice instead of `354`: a client taking the first
 * as the go-ahead takes the second for the acceptance of a message the server never read as one.
 */
let server: RawServer;
/** The lines the server read after DATA: the message, read as commands. */
const afterData: string[] = [];

beforeAll(async () => {
  server = await startTalkingServer((socket) => {
    socket.write('220 confused.example ESMTP\r\n');
    let pending = '';
    let answeredData = false;
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end !== -1; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        const verb = line.slice(0, 4).toUpperCase();
        pending = pending.slice(end + 2);
        if (answeredData) {
          afterData.push(line);
          socket.write('502 Unknown command\r\n');
        } else if (verb === 'EHLO') socket.write('250 confused.example\r\n');
        else if (verb === 'DATA') {
          answeredData = true;
          socket.write('250 OK\r\n250 2.0.0 Queued\r\n');
        } else socket.write('250 OK\r\n');
      }
    });
  });
});
afterAll(() => server.close());

describe('an SMTP server that answers DATA with 250 instead of 354', () => {
  it('does not have the message reported sent: the call fails with unavailable, as curl fails it', async () => {
    await using client = createClient(smtp(`smtp://127.0.0.1:${server.port}`), { retries: 0 });
    const outcome = await client.post('/inbox', 'Subject: hi\r\n\r\nhello\r\n').then(
      (response) => `answered ${response.status}`,
      (error: unknown) =>
        error instanceof ParleyError ? `${error.status}: ${error.message}` : String(error),
    );
    expect(outcome).toBe(
      'unavailable: The SMTP server answered DATA with "250 OK" instead of 354: the message was not sent',
    );
    expect(afterData).toEqual([]);
  });
});
