import { describe, expect, it } from 'vitest';
import { cleanupEach, RawSmtp } from './helpers.js';

const { defer, mailbox } = cleanupEach();

async function open(port: number): Promise<RawSmtp> {
  const { client, greeting } = await RawSmtp.open(port);
  defer(async () => client.close());
  expect(greeting).toMatch(/^220 /);
  return client;
}

/**
 * The SMTP listener dispatches commands itself (server/command-dispatch.ts), as smtp-server
 * does: these are the answers that come before any command's handler runs.
 */
describe('smtp server: command dispatch', () => {
  it('answers an unknown command with 500 and closes after ten of them with 421', async () => {
    const { port } = await mailbox();
    const client = await open(port);
    for (let i = 0; i < 9; i++) expect(await client.command(`BOGUS${i}`)).toMatch(/^500 /);
    expect(await client.command('BOGUS')).toMatch(/^421 .*too many unrecognized commands/);
  });

  it('answers MAIL before HELO/EHLO with 503', async () => {
    const { port } = await mailbox();
    const client = await open(port);
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^503 .*HELO\/EHLO first/);
  });

  it('closes a connection that sends an HTTP request line with 421', async () => {
    const { port } = await mailbox();
    const client = await open(port);
    expect(await client.command('GET / HTTP/1.1')).toMatch(/^421 .*HTTP requests not allowed/);
  });

  it('answers a command in lower case as its upper-case name', async () => {
    const { port } = await mailbox();
    const client = await open(port);
    expect(await client.command('ehlo test')).toMatch(/^250/);
    expect(await client.command('noop')).toMatch(/^250/);
  });

  it('answers MAIL with 530 when the service authenticates and the client has not', async () => {
    const { port } = await mailbox({ allowInsecureAuth: true }, { authenticate: () => undefined });
    const client = await open(port);
    expect(await client.command('EHLO test')).toMatch(/^250/);
    expect(await client.command('MAIL FROM:<a@example.org>')).toMatch(/^530 /);
  });
});
