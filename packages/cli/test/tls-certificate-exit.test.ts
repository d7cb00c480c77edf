import { createServer as createTlsServer } from 'node:tls';
import { createClient, createServer, respond, type Transport } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, describe, expect, it } from 'vitest';
import { expiredCertificate, selfSignedCertificate } from '../../../test/support/tls.js';
import { EXIT, exitCodeOf } from '../src/exit.js';

const certificate = selfSignedCertificate();
const tls = { key: certificate.key, cert: certificate.cert };
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

/** What a call to a server with an untrusted certificate throws. */
async function thrownBy(server: Transport, client: (url: string) => Transport, method = 'GET') {
  const service = createServer(async () => respond('ok'));
  closers.push(() => service.close({ timeoutMs: 500 }));
  const listener = await service.listen(server);
  await using caller = createClient(client(listener.url), { retries: 0, timeoutMs: 5000 });
  return await (method === 'GET' ? caller.get('/a.txt') : caller.post('/inbox', 'x')).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('parley exit code for a peer certificate that fails verification: 60, as curl', () => {
  it('https, wss, ftps, smtps and STARTTLS', async () => {
    const errors = [
      await thrownBy(http('https://127.0.0.1:0', { tls }), (url) => http(url)),
      await thrownBy(ws('wss://127.0.0.1:0', { tls }), (url) => ws(url)),
      await thrownBy(ftp('ftps://127.0.0.1:0', { server: { tls } }), (url) => ftp(url)),
      await thrownBy(smtp('smtps://127.0.0.1:0', { tls, earlyTalkerDelayMs: 0 }), (url) => smtp(url), 'POST'),
      await thrownBy(
        smtp('smtp://127.0.0.1:0', { tls, earlyTalkerDelayMs: 0 }),
        (url) => smtp(url, { starttls: 'required' }),
        'POST',
      ),
    ];
    expect(errors.map(exitCodeOf)).toEqual(errors.map(() => EXIT.peerCertificate));
  });

  it('mqtts, and an expired certificate', async () => {
    const expired = expiredCertificate();
    const broker = createTlsServer({ key: expired.key, cert: expired.cert }, (socket) => socket.destroy());
    broker.on('tlsClientError', () => undefined);
    closers.push(async () => void broker.close());
    await new Promise<void>((resolve) => broker.listen(0, '127.0.0.1', resolve));
    const url = `mqtts://127.0.0.1:${(broker.address() as { port: number }).port}/svc`;
    await using client = createClient(mqtt(url, { tls: { ca: expired.cert } }), { retries: 0 });
    const error = await client.get('/a.txt').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(exitCodeOf(error)).toBe(EXIT.peerCertificate);
  });

  it('a refused connection is still 7', async () => {
    expect(exitCodeOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      EXIT.cannotConnect,
    );
  });
});
