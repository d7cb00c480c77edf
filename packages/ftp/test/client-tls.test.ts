import { createClient, createRouter, createServer, ParleyError, respond, type Server } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../test/support/tls.js';

describe('FTP client over explicit FTPS (AUTH TLS)', () => {
  const { cert, key } = selfSignedCertificate();
  let server: Server;
  let url: URL;
  beforeAll(async () => {
    const files = new Map<string, string>();
    const router = createRouter()
      .put('/:name', async (request) => {
        files.set(request.params.name, await request.body.text());
        return respond('ok');
      })
      .get('/:name', async (request) => {
        const text = files.get(request.params.name);
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
