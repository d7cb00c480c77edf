import { createClient, ParleyError } from '@parley/core';
import { smtp } from '@parley/smtp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

/**
 * An SMTP server that answers DATA with `354` and, at once, a `250` as if the message had
 * ended, before the client has sent a byte of it.
 */
let server: RawServer;

beforeAll(async () => {
  server = await startTalkingServer((socket) => {
    socket.write('220 early.example ESMTP\r\n');
    let pending = '';
    let inData = false;
    socket.on('data', (chunk: Buffer) => {
      if (inData) return;
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end !== -1 && !inData; end = pending.indexOf('\r\n')) {
        const verb = pending.slice(0, 4).toUpperCase();
        pending = pending.slice(end + 2);
        if (verb === 'EHLO') socket.write('250-early.example\r\n250 PIPELINING\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 Go ahead\r\n250 2.0.0 Queued before the message came\r\n');
        } else socket.write('250 OK\r\n');
      }
    });
  });
});
afterAll(() => server.close());

const body = 'a line of the message\r\n'.repeat(50_000);

/** A message read from a stream as a file is, 64 KiB at a time, each read taking a moment. */
async function* streamed(): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.from('a line of the message\r\n'.repeat(2_800));
  for (let i = 0; i < 20; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    yield chunk;
  }
}

/** Expects a call to fail with unavailable: the server answered before the message was all sent. */
async function expectNotReportedSent(call: Promise<unknown>): Promise<void> {
  const failure = await call.then(
    (response) => response,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ParleyError);
  expect(failure).toMatchObject({
    status: 'unavailable',
    message: expect.stringMatching(/before the message was all sent/),
  });
}

describe('an SMTP server that accepts a message before it was sent', () => {
  it('does not report the message sent: the call fails with unavailable', async () => {
    await using client = createClient(smtp(`smtp://127.0.0.1:${server.port}`), {
      retries: 0,
      timeoutMs: 10_000,
    });
    await expectNotReportedSent(client.post('/inbox', streamed()));
  });

  it('does not report it sent to several recipients either', async () => {
    await using client = createClient(smtp(`smtp://127.0.0.1:${server.port}`), {
      retries: 0,
      timeoutMs: 10_000,
    });
    await expectNotReportedSent(client.post('/inbox', body, { headers: { cc: 'other@localhost' } }));
  });
});
