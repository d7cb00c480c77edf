import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, respond, type Transport } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { selfSignedCertificate } from '../../../test/support/tls.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasMosquitto = requireMosquitto();
const certificate = selfSignedCertificate();
const tls = { key: certificate.key, cert: certificate.cert };
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** Serves `hello` (and takes mail) over `transport`; returns the URL a client names. */
async function serveHello(transport: Transport): Promise<string> {
  const server = createServer(async (request) => {
    await request.body.cancel();
    return respond(request.method === 'POST' ? 'accepted' : 'ok', 'hello');
  });
  closers.push(() => server.close({ timeoutMs: 500 }));
  return (await server.listen(transport)).url.replace(/\/$/, '');
}

describe('parley -k and --cacert: TLS peers with a self-signed certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-tls-trust-'));
  const notPem = join(dir, 'not-pem.txt');
  writeFileSync(notPem, 'hello');
  let targets: { name: string; args: string[] }[];

  beforeAll(async () => {
    const https = await serveHello(http('https://127.0.0.1:0', { tls }));
    const wss = await serveHello(ws('wss://127.0.0.1:0/parley', { tls }));
    const ftps = await serveHello(ftp('ftps://127.0.0.1:0', { server: { tls } }));
    const smtps = await serveHello(smtp('smtps://127.0.0.1:0', { tls, earlyTalkerDelayMs: 0 }));
    const starttls = await serveHello(smtp('smtp://127.0.0.1:0', { tls, earlyTalkerDelayMs: 0 }));
    targets = [
      { name: 'https', args: [`${https}/a.txt`] },
      { name: 'wss', args: [`${wss}/a.txt`] },
      { name: 'ftps', args: [`${ftps.replace('ftps://', 'ftps://demo:demo@')}/a.txt`] },
      { name: 'smtps', args: ['-d', 'mail', `${smtps}/inbox`] },
      // As curl, STARTTLS is verified when asked for (--ssl, --ssl-reqd): refused, not skipped.
      { name: 'smtp STARTTLS --ssl', args: ['--ssl', '-d', 'mail', `${starttls}/inbox`] },
      { name: 'smtp STARTTLS --ssl-reqd', args: ['--ssl-reqd', '-d', 'mail', `${starttls}/inbox`] },
    ];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses the certificate by default (60), takes it with -k or --cacert', async () => {
    for (const { name, args } of targets) {
      const refused = await parley(args);
      expect(refused.code, `${name}: ${refused.stderr}`).toBe(60);
      const insecure = await parley(['-k', ...args]);
      expect(insecure.code, `${name} -k: ${insecure.stderr}`).toBe(0);
      const trusted = await parley(['--cacert', certificate.certPath, ...args]);
      expect(trusted.code, `${name} --cacert: ${trusted.stderr}`).toBe(0);
      if (!args.includes('-d')) expect(trusted.stdout).toBe('hello');
    }
  });

  it('ends with 77 when the --cacert file cannot be read or holds no certificate', async () => {
    const url = (targets[0] as { args: string[] }).args[0] as string;
    const missing = await parley(['--cacert', join(dir, 'missing.pem'), url]);
    expect(missing.code).toBe(77);
    expect(missing.stderr).toMatch(/Cannot read the CA certificate file .*missing\.pem/);
    const wrong = await parley(['--cacert', notPem, url]);
    expect(wrong.code).toBe(77);
    expect(wrong.stderr).toMatch(/holds no PEM certificate/);
  });

  describe.runIf(hasMosquitto)('mqtts:// (mosquitto with the same certificate)', () => {
    let broker: Mosquitto;
    let base: string;
    beforeAll(async () => {
      // mosquitto reads the files after dropping root.
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, 'cert.pem'), certificate.cert, { mode: 0o644 });
      writeFileSync(join(dir, 'key.pem'), certificate.key, { mode: 0o644 });
      broker = await startMosquitto([`certfile ${join(dir, 'cert.pem')}`, `keyfile ${join(dir, 'key.pem')}`]);
      closers.push(() => broker.stop());
      base = `mqtts://127.0.0.1:${broker.port}/secure`;
      await serveHello(mqtt(base, { tls: { ca: certificate.cert } }));
    });

    it('refuses, then takes it with -k or --cacert', async () => {
      expect((await parley([`${base}/a.txt`])).code).toBe(60);
      expect(await parley(['-k', `${base}/a.txt`])).toMatchObject({ code: 0, stdout: 'hello' });
      expect(await parley(['--cacert', certificate.certPath, `${base}/a.txt`])).toMatchObject({
        code: 0,
        stdout: 'hello',
      });
    });
  });
});
