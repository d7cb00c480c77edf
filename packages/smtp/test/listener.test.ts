import { connect } from 'node:net';
import { type ListenContext, ParleyError, respond } from '@parley/core';
import { SMTP_SERVER_DEFAULTS, smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp, waitUntil } from './helpers.js';

const { defer, mailbox } = cleanupEach();

/** A listen context that records what reaches its error hook. */
function recordingContext(): { context: ListenContext; reported: { error: unknown; details: unknown }[] } {
  const reported: { error: unknown; details: unknown }[] = [];
  const context = {
    handle: async () => respond('ok'),
    allows: () => 'ok' as const,
    onError: (error: unknown, details: unknown) => reported.push({ error, details }),
  };
  return { context, reported };
}

describe('smtp listener', () => {
  it('shows its URL with the real port and a trailing slash, like http:// and ftp://', async () => {
    const { url } = await mailbox();
    expect(url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+\/$/);
    expect(smtp('smtp://alice:secret@127.0.0.1:2525').url).toBe('smtp://127.0.0.1:2525/');
    expect(smtp('lmtp://127.0.0.1:2424').url).toBe('lmtp://127.0.0.1:2424/');
  });

  it('takes maxBodyBytes, and maxMessageBytes as its deprecated alias', async () => {
    expect(SMTP_SERVER_DEFAULTS.maxBodyBytes).toBe(25 * 1024 * 1024);
    const current = await mailbox({ maxBodyBytes: 1000 });
    const former = await mailbox({ maxMessageBytes: 2000 });
    const both = await mailbox({ maxBodyBytes: 3000, maxMessageBytes: 9000 });
    for (const [{ port }, size] of [
      [current, 1000],
      [former, 2000],
      [both, 3000],
    ] as const) {
      const { client } = await RawSmtp.open(port);
      defer(async () => client.close());
      expect(await client.command('EHLO test')).toContain(`SIZE ${size}`);
    }
  });

  it('refuses bad options and URLs with a bad_request ParleyError', async () => {
    const { context } = recordingContext();
    for (const options of [
      { maxBodyBytes: -1 },
      { maxConnections: 0 },
      { maxConnectionsPerAddress: 1.5 },
      { socketTimeoutMs: Number.NaN },
      { firstMailTimeoutMs: Number.POSITIVE_INFINITY },
    ]) {
      await expect(smtp('smtp://127.0.0.1:0', options).listen(context)).rejects.toSatisfy(
        (error: unknown) => error instanceof ParleyError && error.status === 'bad_request',
      );
    }
    expect(() => smtp('smtp://127.0.0.1:0', { timeoutMs: -5 }).connect()).toThrow(ParleyError);
    for (const url of ['not a url', 'http://127.0.0.1:25']) {
      expect(() => smtp(url)).toThrow(expect.objectContaining({ status: 'bad_request' }));
    }
  });

  it('is a conflict, naming the address, when the port is taken; not also reported as a connection failure', async () => {
    const { port } = await mailbox();
    const { context, reported } = recordingContext();
    await expect(smtp(`smtp://127.0.0.1:${port}`).listen(context)).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof ParleyError && error.status === 'conflict' && error.message.includes(String(port)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reported).toEqual([]);
  });

  it('reports a connection failure it cannot answer (a reset mid-transaction) to the error hook', async () => {
    const { context, reported } = recordingContext();
    const listener = await smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }).listen(context);
    defer(() => listener.close(AbortSignal.timeout(1000)));
    const { client } = await RawSmtp.open(Number(new URL(listener.url).port));
    expect(await client.command('EHLO test')).toMatch(/^250/);
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^250/);
    client.socket.resetAndDestroy();
    await waitUntil(() => reported.length > 0, 10_000);
    expect(reported[0]?.details).toBe('smtp connection from 127.0.0.1');
    expect(reported[0]?.error).toMatchObject({ cause: { code: 'ECONNRESET' } });
  });

  it('answers idle connections 421 4.3.2 on close and waits for a message in flight', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const context: ListenContext = {
      handle: async (request) => {
        await request.body.text();
        await held;
        return respond('ok');
      },
      allows: () => 'ok',
    };
    const listener = await smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }).listen(context);
    const port = Number(new URL(listener.url).port);
    const idle = await RawSmtp.open(port);
    const busy = await RawSmtp.open(port);
    defer(async () => {
      idle.client.close();
      busy.client.close();
    });
    await busy.client.command('EHLO test');
    await busy.client.command('MAIL FROM:<a@example.org>');
    await busy.client.command('RCPT TO:<inbox@example.org>');
    await busy.client.command('DATA');
    busy.client.write('Subject: held\r\n\r\nheld\r\n.\r\n');
    const closed = listener.close(AbortSignal.timeout(30_000));
    expect(await idle.client.reply()).toMatch(/^421 4\.3\.2 /);
    let done = false;
    void closed.then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(done).toBe(false);
    release();
    expect(await busy.client.reply()).toMatch(/^250 /);
    await closed;
    await waitUntil(() => busy.client.closed, 10_000);
  });
});

describe('a refused connection', () => {
  it('is answered 421 4.7.0 past the total cap, without reaching the error hook', async () => {
    const { context, reported } = recordingContext();
    const listener = await smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0, maxConnections: 1 }).listen(
      context,
    );
    defer(() => listener.close(AbortSignal.timeout(1000)));
    const port = Number(new URL(listener.url).port);
    const first = await RawSmtp.open(port);
    defer(async () => first.client.close());
    const second = connect(port, '127.0.0.1');
    second.on('error', () => undefined);
    let text = '';
    second.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    await waitUntil(() => text.includes('\n'), 10_000);
    expect(text).toMatch(/^421 4\.7\.0 Too many connected clients/);
    second.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reported).toEqual([]);
  });
});
