import { createClient, createServer, ParleyError, respond } from '@parley/core';
import { describeConformance, urlWithCredentials } from '@parley/core/conformance';
import { http } from '@parley/http';
import { describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../test/support/tls.js';

const tls = selfSignedCertificate();

describeConformance({
  name: 'https',
  server: () => http('https://127.0.0.1:0', { tls: { key: tls.key, cert: tls.cert } }),
  client: (url, credentials) => http(urlWithCredentials(url, credentials), { tls: { ca: tls.cert } }),
  largeBodyBytes: 4 * 1024 * 1024,
});

describe('https', () => {
  it('round-trips over TLS with a trusted CA, and refuses an untrusted certificate', async () => {
    const server = createServer(async (request) => respond('ok', `secure ${request.path}`));
    const listener = await server.listen(
      http('https://127.0.0.1:0', { tls: { key: tls.key, cert: tls.cert } }),
    );
    try {
      expect(listener.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      await using trusting = createClient(http(listener.url, { tls: { ca: tls.cert } }));
      const response = await trusting.get('/hello');
      expect(await response.body.text()).toBe('secure /hello');
      await using untrusting = createClient(http(listener.url), { retries: 0 });
      await expect(untrusting.get('/hello')).rejects.toSatisfy(
        (error) => error instanceof ParleyError && error.status === 'unavailable' && !error.retryable,
      );
    } finally {
      await server.close({ timeoutMs: 500 });
    }
  });

  it('refuses to listen on https:// without a key and certificate', async () => {
    const server = createServer(async () => respond('ok'));
    await expect(server.listen(http('https://127.0.0.1:0'))).rejects.toSatisfy(
      (error) => error instanceof ParleyError && /tls\.key and tls\.cert/.test(error.message),
    );
  });
});
