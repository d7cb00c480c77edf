import { passwordTable } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp } from './helpers.js';

const { defer, mailbox } = cleanupEach();

const plain = (authzid: string, authcid: string, password: string) =>
  `AUTH PLAIN ${Buffer.from(`${authzid}\0${authcid}\0${password}`).toString('base64')}`;

async function session(port: number): Promise<RawSmtp> {
  const { client } = await RawSmtp.open(port);
  defer(async () => client.close());
  expect(await client.command('EHLO test')).toMatch(/^250/);
  return client;
}

describe('smtp AUTH PLAIN authorization identity (RFC 4616)', () => {
  const authenticate = passwordTable({ alice: 'pw', admin: 'root' });

  it('refuses to let alice act as admin with 535, and sends no mail as anyone', async () => {
    const { port, received } = await mailbox({ allowInsecureAuth: true }, { authenticate });
    const client = await session(port);
    expect(await client.command(plain('admin', 'alice', 'pw'))).toMatch(/^535 5\.7\.8 /);
    expect(await client.command('MAIL FROM:<a@example.com>')).toMatch(/^530 /);
    expect(received).toEqual([]);
  });

  it('takes an authorization identity equal to the authentication one, or none', async () => {
    const { port } = await mailbox({ allowInsecureAuth: true }, { authenticate });
    expect(await (await session(port)).command(plain('alice', 'alice', 'pw'))).toMatch(/^235 /);
    expect(await (await session(port)).command(plain('', 'alice', 'pw'))).toMatch(/^235 /);
    // Clients that put the user name in the authorization field alone are still served.
    expect(await (await session(port)).command(plain('alice', '', 'pw'))).toMatch(/^235 /);
  });
});
