import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasPeer, requirePeer, requirePeers } from '../../../test/support/peer.js';
import { freePort, waitForPort } from '../../../test/support/ports.js';
import { selfSignedCertificate } from '../../../test/support/tls.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const PYTHON = '/usr/bin/python3';
const hasPeers = requirePeers('curl') && requirePeer('aiosmtpd', hasPeer(PYTHON, ['-c', 'import aiosmtpd']));

/**
 * aiosmtpd on `port`, offering STARTTLS with `cert`/`key` when given (a self-signed certificate);
 * it prints one line per mail saying whether it came encrypted.
 */
const SERVER = `
import asyncio, ssl, sys
from aiosmtpd.controller import Controller
class Handler:
    async def handle_DATA(self, server, session, envelope):
        print('mail encrypted=%s' % (session.ssl is not None), flush=True)
        return '250 OK'
options = {}
if len(sys.argv) > 2:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(sys.argv[2], sys.argv[3])
    options = {'tls_context': context, 'require_starttls': False}
Controller(Handler(), hostname='127.0.0.1', port=int(sys.argv[1]), **options).start()
asyncio.get_event_loop().run_forever()
`;

/** A running aiosmtpd and the mails it took, as `encrypted=True` or `False` lines. */
interface MailServer {
  readonly url: string;
  readonly child: ChildProcess;
  mails(): string;
}

async function startServer(tls: { cert: string; key: string } | undefined): Promise<MailServer> {
  const port = await freePort();
  const extra = tls === undefined ? [] : [tls.cert, tls.key];
  const child = spawn(PYTHON, ['-c', SERVER, String(port), ...extra], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let mails = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    mails += chunk.toString();
  });
  await waitForPort(port, 60_000);
  return { url: `smtp://127.0.0.1:${port}`, child, mails: () => mails };
}

/** curl's exit code sending `file` to `url` with `args`. */
function curl(args: readonly string[], url: string, file: string): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      'curl',
      ['-sS', ...args, '--mail-from', 'a@example.com', '--mail-rcpt', 'b@example.com', '-T', file, `${url}/`],
      (error) => resolve(error === null ? 0 : Number((error as { code?: unknown }).code)),
    );
  });
}

describe.runIf(hasPeers)('smtp:// and STARTTLS, option by option as curl (aiosmtpd)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-starttls-'));
  const mail = join(dir, 'mail.txt');
  const servers: MailServer[] = [];
  let selfSigned: MailServer;
  let plain: MailServer;

  beforeAll(async () => {
    writeFileSync(mail, 'Subject: hello\r\n\r\nthe body\r\n');
    const certificate = selfSignedCertificate();
    const key = join(dir, 'key.pem');
    writeFileSync(key, certificate.key);
    selfSigned = await startServer({ cert: certificate.certPath, key });
    plain = await startServer(undefined);
    servers.push(selfSigned, plain);
  });
  afterAll(() => {
    for (const server of servers) server.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['no option: curl sends clear text; parley upgrades, unverified', 0, [], 'True'],
    ['-k', 0, ['-k'], 'True'],
    ['--ssl: STARTTLS, the certificate verified', 60, ['--ssl'], undefined],
    ['--ssl-reqd', 60, ['--ssl-reqd'], undefined],
    ['--ssl -k', 0, ['--ssl', '-k'], 'True'],
    ['--ssl-reqd -k', 0, ['--ssl-reqd', '-k'], 'True'],
  ] as const)(
    'a self-signed server offering STARTTLS, %s: exit %i',
    async (_what, expected, args, encrypted) => {
      expect(await curl(args, selfSigned.url, mail), 'curl').toBe(expected);
      const before = selfSigned.mails().length;
      const run = await parley(['-sS', ...args, '-T', mail, `${selfSigned.url}/b@example.com`]);
      expect(run.code, run.stderr).toBe(expected);
      if (encrypted !== undefined)
        expect(selfSigned.mails().slice(before)).toBe(`mail encrypted=${encrypted}\n`);
      else expect(selfSigned.mails().slice(before)).toBe('');
    },
  );

  it.each([
    ['no option', 0, []],
    ['-k (nothing to verify: clear text, as curl)', 0, ['-k']],
    ['--ssl (tried, not there: clear text)', 0, ['--ssl']],
    ['--ssl-reqd', 64, ['--ssl-reqd']],
    ['--ssl-reqd -k', 64, ['--ssl-reqd', '-k']],
  ] as const)('a server without STARTTLS, %s: exit %i', async (_what, expected, args) => {
    expect(await curl(args, plain.url, mail), 'curl').toBe(expected);
    const before = plain.mails().length;
    const run = await parley(['-sS', ...args, '-T', mail, `${plain.url}/b@example.com`]);
    expect(run.code, run.stderr).toBe(expected);
    expect(plain.mails().slice(before)).toBe(expected === 0 ? 'mail encrypted=False\n' : '');
    if (expected === 64) expect(run.stderr).toMatch(/STARTTLS/);
  });
});
