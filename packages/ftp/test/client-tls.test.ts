import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createRouter, createServer, ParleyError, respond, type Server } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A self-signed certificate for 127.0.0.1, made with the openssl command line. */
function makeCertificate(): { cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ftp-tls-'));
  try {
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    if (made.status !== 0) return undefined;
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const certificate = makeCertificate();
if (certificate === undefined && process.env.CI === 'true') throw new Error('openssl is required under CI');

describe.skipIf(certificate === undefined)('FTP client over explicit FTPS (AUTH TLS)', () => {
  const { cert, key } = certificate ?? { cert: '', key: '' };
  let server: Server;
  let url: URL;
  beforeAll(async () => {
    const files = new Map<string, string>();
    const router = createRouter()
      .put('/:name', async (request) => {
        files.set(request.params.name ?? '', await request.body.text());
        return respond('ok');
      })
      .get('/:name', async (request) => {
        const text = files.get(request.params.name ?? '');
        return text === undefined ? respond('not_found') : respond('ok', text);
      });
    server = createServer(router);
    const listener = await server.listen(
      ftp('ftp://127.0.0.1:0', { server: { tls: { cert, key }, requireTls: true } }),
    );
    url = new URL(listener.url);
  });
  afterAll(async () => {
    await server?.close({ timeoutMs: 1000 });
  });

  it('upgrades with AUTH TLS and protects the data connections', async () => {
    await using client = createClient(ftp(url.href, { client: { secure: true, tls: { ca: cert } } }));
    expect((await client.put('/secret.txt', 'over TLS')).status).toBe('ok');
    expect(await (await client.get('/secret.txt')).body.text()).toBe('over TLS');
  });

  it('uses FTPS by default for an ftps:// URL', async () => {
    const secure = new URL(url.href.replace(/^ftp:/, 'ftps:'));
    await using client = createClient(ftp(secure.href, { client: { tls: { ca: cert } } }));
    expect(await (await client.get('/secret.txt')).body.text()).toBe('over TLS');
  });

  it('refuses a certificate it cannot verify, and does not retry', async () => {
    await using client = createClient(ftp(url.href, { client: { secure: true } }), { retries: 0 });
    await expect(client.get('/secret.txt')).rejects.toSatisfy(
      (error: unknown) => error instanceof ParleyError && error.status === 'unavailable' && !error.retryable,
    );
  });

  it('gets the server refusal as a response when it requires TLS and the client does not use it', async () => {
    await using client = createClient(ftp(url.href), { retries: 0 });
    const response = await client.get('/secret.txt');
    expect(response.status).not.toBe('ok');
  });
});
