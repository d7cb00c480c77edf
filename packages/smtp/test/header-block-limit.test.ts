import { afterEach, describe, expect, it } from 'vitest';
import { RawSmtp, startMailbox } from './helpers.js';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

/** Opens a transaction to inbox@localhost and sends `message` as its DATA; the final reply. */
async function send(port: number, message: string): Promise<{ client: RawSmtp; reply: string }> {
  const { client } = await RawSmtp.open(port);
  expect(await client.command('EHLO test')).toMatch(/^250/);
  expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^250/);
  expect(await client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250/);
  expect(await client.command('DATA')).toMatch(/^354/);
  client.write(`${message}\r\n.\r\n`);
  return { client, reply: await client.reply() };
}

describe('a header block over maxHeaderBytes', () => {
  it('is answered 554 when it goes on long past the limit, and the session goes on (it hung with no reply)', async () => {
    const { server, port, received } = await startMailbox({ maxHeaderBytes: 4096 });
    stop = () => server.close({ timeoutMs: 1000 });
    const { client, reply } = await send(port, `Subject: ${'x'.repeat(400_000)}\r\n\r\nbody`);
    expect(reply).toMatch(/^554 .*header block is larger than 4096 bytes/);
    expect(await client.command('NOOP')).toMatch(/^250/);
    client.close();
    expect(received).toHaveLength(0);
  });

  it('is answered 554 too when the whole block and its end come at once', async () => {
    const { server, port, received } = await startMailbox({ maxHeaderBytes: 4096 });
    stop = () => server.close({ timeoutMs: 1000 });
    const { client, reply } = await send(port, `Subject: ${'x'.repeat(6000)}\r\n\r\nbody`);
    expect(reply).toMatch(/^554 .*header block is larger than 4096 bytes/);
    client.close();
    expect(received).toHaveLength(0);
  });

  it('a header block within the limit is delivered', async () => {
    const { server, port, received } = await startMailbox({ maxHeaderBytes: 4096 });
    stop = () => server.close({ timeoutMs: 1000 });
    const { client, reply } = await send(port, `Subject: ${'x'.repeat(3000)}\r\n\r\nbody`);
    expect(reply).toMatch(/^250/);
    client.close();
    expect(received[0]?.body).toBe('body\r\n');
  });
});
