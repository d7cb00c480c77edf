import { createClient, createServer, ParleyError, passwordTable, respond } from '@parley/core';
import { smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { expiredCertificate, otherHostCertificate, type TestCertificate } from '../../../test/support/tls.js';
import { cleanupEach, selfSignedCertificate } from './helpers.js';

const { defer } = cleanupEach();

const cases: [string, () => TestCertificate, boolean, RegExp][] = [
  ['a self-signed certificate without ca', selfSignedCertificate, false, /self-signed certificate/],
  ['an expired certificate', expiredCertificate, true, /certificate has expired/],
  ['a certificate for another host', otherHostCertificate, true, /does not match/],
];

/** A server with `certificate`, on implicit TLS or STARTTLS; counts the messages it gets. */
async function mailServer(scheme: 'smtps' | 'smtp', certificate: TestCertificate) {
  const received: string[] = [];
  const server = createServer(
    async (request) => {
      received.push(await request.body.text());
      return respond('ok');
    },
    { authenticate: passwordTable({ alice: 's3cret' }) },
  );
  defer(() => server.close({ timeoutMs: 1000 }));
  const tls = { key: certificate.key, cert: certificate.cert };
  const listener = await server.listen(smtp(`${scheme}://127.0.0.1:0`, { tls, earlyTalkerDelayMs: 0 }));
  return { port: Number(new URL(listener.url).port), received };
}

describe('SMTP client refusing certificates it was not told to trust', () => {
  for (const scheme of ['smtps', 'smtp'] as const) {
    for (const [what, make, trusted, message] of cases) {
      const mode = scheme === 'smtps' ? 'smtps://' : 'STARTTLS';
      it(`${mode}: refuses ${what}, sends nothing and does not retry`, async () => {
        const certificate = make();
        const { port, received } = await mailServer(scheme, certificate);
        const tls = trusted ? { ca: certificate.cert } : {};
        const client = createClient(smtp(`${scheme}://alice:s3cret@127.0.0.1:${port}`, { tls }), {
          retries: 0,
          timeoutMs: 5000,
        });
        defer(() => client.close());
        await expect(client.post('/inbox', 'the secret body')).rejects.toSatisfy(
          (error) =>
            error instanceof ParleyError &&
            error.status === 'unavailable' &&
            !error.retryable &&
            message.test(error.message),
        );
        expect(received).toEqual([]);
      });
    }
  }
});
