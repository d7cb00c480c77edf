import { connect, type Socket } from 'node:net';
import { createClient } from '@parley/core';
import { smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp, waitUntil } from './helpers.js';

const { defer, mailbox } = cleanupEach();

/** A raw connection from a chosen local address, recording what the server sends. */
function open(port: number, localAddress: string): Promise<{ socket: Socket; text: () => string }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => undefined);
    const done = () => resolve({ socket, text: () => text });
    socket.once('connect', done);
    socket.once('close', done);
  });
}

describe('slow connections', () => {
  it('1,100 slow connections from 127.0.0.2 do not keep a client on 127.0.0.1 from sending', async () => {
    const { port, url, received } = await mailbox();
    const slow: { socket: Socket; text: () => string }[] = [];
    defer(async () => {
      for (const { socket } of slow) socket.destroy();
    });
    for (let batch = 0; batch < 11; batch++) {
      slow.push(...(await Promise.all(Array.from({ length: 100 }, () => open(port, '127.0.0.2')))));
    }
    // Half of them drip "EHLO" one byte at a time; the others say nothing.
    let dripped = 0;
    const drip = setInterval(() => {
      const byte = 'EHLO'[dripped++ % 4] as string;
      for (const [index, { socket }] of slow.entries())
        if (index % 2 === 0 && socket.writable) socket.write(byte);
    }, 100);
    defer(async () => clearInterval(drip));
    await waitUntil(() => slow.every(({ text }) => text() !== ''), 20_000);
    const refused = slow.filter(({ text }) =>
      text().startsWith('421 4.7.0 Too many connections from your address'),
    );
    const greeted = slow.filter(({ text }) => text().startsWith('220 '));
    expect(refused.length).toBeGreaterThanOrEqual(1036);
    expect(greeted.length).toBeLessThanOrEqual(64);

    const client = createClient(smtp(url), { retries: 0 });
    defer(() => client.close());
    const sent = await client.post('/inbox/normal', 'sent while 1,100 slow connections wait');
    expect(sent.status).toBe('ok');
    expect(sent.headers.get('smtp-reply')).toMatch(/^250 2\.0\.0 /);
    expect(received.map((mail) => mail.path)).toEqual(['/inbox/normal']);
  }, 60_000);

  it('refuses connections past maxConnectionsPerAddress with 421 4.7.0 and closes them', async () => {
    const { port } = await mailbox({ maxConnectionsPerAddress: 2 });
    const first = await RawSmtp.open(port);
    const second = await RawSmtp.open(port);
    const third = await RawSmtp.open(port);
    defer(async () => {
      for (const { client } of [first, second, third]) client.close();
    });
    expect(first.greeting).toMatch(/^220 /);
    expect(second.greeting).toMatch(/^220 /);
    expect(third.greeting).toMatch(/^421 4\.7\.0 Too many connections from your address/);
    await waitUntil(() => third.client.closed);
    first.client.close();
    await waitUntil(() => first.client.closed);
    let fourth = await RawSmtp.open(port);
    // The server releases the slot when it sees the close: try again for up to 10 s.
    for (let attempt = 0; attempt < 200 && !fourth.greeting.startsWith('220'); attempt++) {
      fourth.client.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      fourth = await RawSmtp.open(port);
    }
    defer(async () => fourth.client.close());
    expect(fourth.greeting).toMatch(/^220 /);
  });

  it('closes a connection that starts no transaction within firstMailTimeoutMs (421 4.4.2), silent or dripping', async () => {
    const { port, received } = await mailbox({ firstMailTimeoutMs: 1500 });
    const silent = await RawSmtp.open(port);
    const dripping = await RawSmtp.open(port);
    const working = await RawSmtp.open(port);
    defer(async () => {
      for (const { client } of [silent, dripping, working]) client.close();
    });
    expect(await working.client.command('EHLO test')).toMatch(/^250/);
    expect(await working.client.command('MAIL FROM:<a@example.org>')).toMatch(/^250/);
    const drip = setInterval(() => dripping.client.write('NOOP\r\n'), 100);
    defer(async () => clearInterval(drip));
    await waitUntil(() => silent.client.closed && dripping.client.closed, 10_000);
    expect(await silent.client.reply()).toMatch(/^421 4\.4\.2 /);
    expect(working.client.closed).toBe(false);
    expect(await working.client.command('RCPT TO:<inbox@localhost>')).toMatch(/^250/);
    expect(await working.client.command('DATA')).toMatch(/^354/);
    working.client.write('Subject: late\r\n\r\nstill here\r\n.\r\n');
    expect(await working.client.reply()).toMatch(/^250 /);
    expect(received).toHaveLength(1);
  });
});
