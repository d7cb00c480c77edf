import { createRouter, createServer, respond, type Server, type TraceEvent } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterEach, describe, expect, it } from 'vitest';
import { RawSmtp } from './helpers.js';

let server: Server | undefined;
afterEach(async () => {
  await server?.close({ timeoutMs: 1000 });
  server = undefined;
});

/** A server whose `/inbox` accepts and whose `/odd` refuses with a text holding line breaks. */
async function start(trace?: (event: TraceEvent) => void): Promise<number> {
  const router = createRouter()
    .post('/inbox', async (request) => {
      await request.body.text();
      return respond('ok');
    })
    .post('/odd', async () => respond('forbidden', 'refused\r\n250 smuggled\u0085line'));
  server = createServer(router, trace === undefined ? {} : { trace });
  const listener = await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }));
  return Number(new URL(listener.url).port);
}

/** Sends one message to `mailbox` and returns the replies to MAIL, RCPT, DATA and the message. */
async function sendOne(port: number, mailbox: string): Promise<string[]> {
  const { client } = await RawSmtp.open(port);
  try {
    await client.command('EHLO client.test');
    const replies = [
      await client.command('MAIL FROM:<a@client.test>'),
      await client.command(`RCPT TO:<${mailbox}@localhost>`),
      await client.command('DATA'),
      await client.command('Message-ID: <one@client.test>\r\nSubject: hi\r\n\r\nhello\r\n.'),
    ];
    await client.command('QUIT');
    return replies;
  } finally {
    client.close();
  }
}

describe('the replies of the SMTP server', () => {
  it('carry the enhanced status code and the message id, each in one line', async () => {
    const port = await start();
    expect(await sendOne(port, 'inbox')).toEqual([
      '250 2.1.0 Accepted',
      '250 2.1.5 Accepted',
      '354 End data with <CR><LF>.<CR><LF>',
      '250 2.0.0 OK <one@client.test>',
    ]);
  });

  it("keep a handler's refusal on one line: control characters become spaces", async () => {
    const port = await start();
    const replies = await sendOne(port, 'odd');
    expect(replies[3]).toMatch(/^550 5\.7\.1 refused/);
    expect(replies[3]).not.toMatch(/[\r\n\u0085]/);
  });

  it('go to the trace of a traced server, as sent', async () => {
    const events: TraceEvent[] = [];
    const port = await start((event) => events.push(event));
    await sendOne(port, 'inbox');
    const sent = events
      .filter((event) => event.side === 'server' && event.direction === 'send')
      .map((event) => event.summary);
    expect(sent).toContain('250 2.1.0 Accepted');
    expect(sent).toContain('250 2.0.0 OK <one@client.test>');
  });
});
