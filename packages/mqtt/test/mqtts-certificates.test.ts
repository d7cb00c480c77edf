import { createServer as createHttpsServer } from 'node:https';
import type { Server as NetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { createClient, ParleyError } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  expiredCertificate,
  otherHostCertificate,
  selfSignedCertificate,
  type TestCertificate,
} from '../../../test/support/tls.js';

const servers: NetServer[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A broker in the middle with a certificate the client should not accept; records what it gets. */
async function impostor(scheme: 'mqtts' | 'wss', certificate: TestCertificate) {
  const received: string[] = [];
  const options = { key: certificate.key, cert: certificate.cert };
  const server =
    scheme === 'mqtts'
      ? createTlsServer(options, (socket) => {
          socket.on('error', () => undefined);
          socket.on('data', (chunk: Buffer) => received.push(chunk.toString('latin1')));
        })
      : createHttpsServer(options, (request, response) => {
          received.push(request.url ?? '');
          response.end();
        });
  server.on('tlsClientError', () => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, received };
}

const cases: [string, () => TestCertificate, boolean, RegExp][] = [
  ['a self-signed certificate without ca', selfSignedCertificate, false, /self-signed certificate/],
  ['an expired certificate', expiredCertificate, true, /certificate has expired/],
  ['a certificate for another host', otherHostCertificate, true, /does not match/],
];

describe('MQTT client refusing certificates it was not told to trust', () => {
  for (const scheme of ['mqtts', 'wss'] as const) {
    for (const [what, make, trusted, message] of cases) {
      it(`${scheme}: refuses ${what}, sends no CONNECT and does not retry`, async () => {
        const certificate = make();
        const broker = await impostor(scheme, certificate);
        const tls = trusted ? { ca: certificate.cert } : {};
        const url = `${scheme}://alice:s3cret@127.0.0.1:${broker.port}/service`;
        await using client = createClient(mqtt(url, { tls, connectTimeoutMs: 5000 }), { retries: 0 });
        await expect(client.get('/notes/a.txt')).rejects.toSatisfy(
          (error) =>
            error instanceof ParleyError &&
            error.status === 'unavailable' &&
            !error.retryable &&
            message.test(error.message) &&
            !error.message.includes('s3cret'),
        );
        expect(broker.received).toEqual([]);
      });
    }
  }
});
