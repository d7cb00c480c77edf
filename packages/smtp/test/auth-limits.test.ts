import { type Credentials, createClient, type Peer, passwordTable } from '@parley/core';
import { throttledError } from '@parley/core/transport';
import { smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { cleanupEach, hasPeer, itWithPeer, RawSmtp, run } from './helpers.js';

const swaks = itWithPeer(hasPeer('swaks', ['--version']));
const { defer, mailbox } = cleanupEach();

const plain = (user: string, password: string) =>
  `AUTH PLAIN ${Buffer.from(`\0${user}\0${password}`).toString('base64')}`;

async function session(port: number): Promise<RawSmtp> {
  const { client, greeting } = await RawSmtp.open(port);
  defer(async () => client.close());
  expect(greeting).toMatch(/^220 /);
  expect(await client.command('EHLO test')).toMatch(/^250/);
  return client;
}

describe('smtp AUTH against credential guessing', () => {
  it('answers a throttled attempt with 454 4.7.0 and the wait, then 421 4.7.0 and closes', async () => {
    const peers: Peer[] = [];
    const authenticate = (_credentials: Credentials, peer: Peer) => {
      peers.push(peer);
      throw throttledError(5000);
    };
    const { port } = await mailbox({ allowInsecureAuth: true }, { authenticate, authThrottle: false });
    const client = await session(port);
    expect(await client.command(plain('alice', 'x'))).toMatch(/^454 4\.7\.0 .*try again in 5 s/);
    expect(await client.command(plain('alice', 'x'))).toMatch(/^454 4\.7\.0 /);
    expect(await client.command(plain('alice', 'x'))).toMatch(/^421 4\.7\.0 /);
    expect(await client.reply()).toBe('');
    expect(client.closed).toBe(true);
    expect(peers[0]).toMatchObject({ protocol: 'smtp', address: '127.0.0.1' });
  });

  it('with the server throttle, hammering AUTH PLAIN is cut after 3 failures on one connection, and the address then gets 454', async () => {
    const table = passwordTable({ alice: 's3cret' });
    const seen: (string | undefined)[] = [];
    const authenticate = (credentials: Credentials, peer: Peer) => {
      seen.push(peer.address);
      return table(credentials, peer);
    };
    const { port } = await mailbox(
      { allowInsecureAuth: true },
      { authenticate, authThrottle: { freeFailures: 2, baseDelayMs: 60_000 } },
    );
    const client = await session(port);
    const replies: string[] = [];
    for (let attempt = 0; attempt < 200 && !client.closed; attempt++) {
      const reply = await client.command(plain('alice', `guess${attempt}`));
      if (reply !== '') replies.push(reply);
    }
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatch(/^535 5\.7\.8 /);
    expect(replies[1]).toMatch(/^535 5\.7\.8 /);
    expect(replies[2]).toMatch(/^421 4\.7\.0 /);
    expect(client.closed).toBe(true);
    expect(seen).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
    const next = await session(port);
    expect(await next.command(plain('alice', 's3cret'))).toMatch(/^454 4\.7\.0 .*try again in \d+ s/);
  });

  it('the Parley client answers a throttled login with too_many_requests and retry-after', async () => {
    const authenticate = () => {
      throw throttledError(7000);
    };
    const { url } = await mailbox({ allowInsecureAuth: true }, { authenticate, authThrottle: false });
    const withLogin = new URL(url);
    withLogin.username = 'alice';
    withLogin.password = 'x';
    const client = createClient(smtp(withLogin.href, { starttls: false }), { retries: 0 });
    defer(() => client.close());
    const refused = await client.post('/inbox', 'hi');
    expect(refused.status).toBe('too_many_requests');
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.headers.get('smtp-reply')).toMatch(/^454 4\.7\.0 /);
  });

  swaks('swaks sees 535 for wrong passwords, then 454 4.7.0 once the address is throttled', async () => {
    const { port } = await mailbox(
      { allowInsecureAuth: true },
      {
        authenticate: passwordTable({ alice: 's3cret' }),
        authThrottle: { freeFailures: 2, baseDelayMs: 60_000 },
      },
    );
    const attempt = (password: string) =>
      run('swaks', [
        '--server',
        `127.0.0.1:${port}`,
        '--to',
        'inbox@localhost',
        '--auth',
        'PLAIN',
        '--auth-user',
        'alice',
        '--auth-password',
        password,
      ]);
    expect((await attempt('nope1')).output).toMatch(/535 5\.7\.8/);
    expect((await attempt('nope2')).output).toMatch(/535 5\.7\.8/);
    expect((await attempt('nope3')).output).toMatch(/535 5\.7\.8/);
    const throttled = await attempt('s3cret');
    expect(throttled.code).not.toBe(0);
    expect(throttled.output).toMatch(
      /454 4\.7\.0 Too many failed logins from your address, try again in \d+ s/,
    );
  });
});
