import type { Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { createServer, respond } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { openData, RawFtp, readAll } from './raw-ftp.js';
import { type Served, serve } from './serve.js';
import { TEST_TLS } from './tls-fixture.js';

let served: Served | undefined;
const opened: RawFtp[] = [];
afterEach(async () => {
  for (const ftp of opened.splice(0)) ftp.close();
  await served?.close();
  served = undefined;
});

async function connect(options: Parameters<typeof serve>[0] = {}): Promise<RawFtp> {
  served = await serve({ tls: TEST_TLS, ...options });
  const ftp = await RawFtp.connect(served.port);
  opened.push(ftp);
  return ftp;
}

function secureData(socket: Socket): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const secured = tlsConnect({ socket, rejectUnauthorized: false });
    secured.once('secureConnect', () => resolve(secured));
    secured.once('error', reject);
  });
}

describe('explicit FTPS (AUTH TLS)', () => {
  it('advertises AUTH TLS, PBSZ and PROT when configured', async () => {
    const ftp = await connect();
    const feat = await ftp.send('FEAT');
    expect(feat.lines).toEqual(expect.arrayContaining([' AUTH TLS', ' PBSZ', ' PROT']));
  });

  it('upgrades the control connection and carries a protected upload and download (PROT P)', async () => {
    const ftp = await connect();
    await ftp.startTls();
    expect(ftp.socket.constructor.name).toBe('TLSSocket');
    await ftp.login();
    expect((await ftp.send('PROT P')).code).toBe(503);
    await ftp.expect('PBSZ 0', 200);
    await ftp.expect('PROT P', 200);
    const up = await secureData(await openData(await ftp.epsv()));
    await ftp.expect('STOR secret.txt', 150);
    await new Promise<void>((resolve) => up.end('over tls', () => resolve()));
    expect((await ftp.read()).code).toBe(226);
    expect(served?.store.files.get('/secret.txt')?.bytes.toString()).toBe('over tls');
    const down = await secureData(await openData(await ftp.epsv()));
    const bytes = readAll(down);
    await ftp.expect('RETR secret.txt', 150);
    expect((await bytes).toString()).toBe('over tls');
    expect((await ftp.read()).code).toBe(226);
    const list = await secureData(await openData(await ftp.epsv()));
    const listing = readAll(list);
    await ftp.expect('NLST', 150);
    expect((await listing).toString()).toBe('secret.txt\r\n');
    expect((await ftp.read()).code).toBe(226);
  });

  it('keeps clear data connections with PROT C', async () => {
    const ftp = await connect();
    await ftp.startTls();
    await ftp.login();
    await ftp.expect('PBSZ 0', 200);
    await ftp.expect('PROT C', 200);
    const data = await openData(await ftp.epsv());
    const listing = readAll(data);
    await ftp.expect('NLST', 150);
    expect((await listing).toString()).toBe('');
    expect((await ftp.read()).code).toBe(226);
  });

  it('answers 425 in plain words when a PROT P data connection does not speak TLS', async () => {
    const ftp = await connect();
    await ftp.startTls();
    await ftp.login();
    await ftp.expect('PBSZ 0', 200);
    await ftp.expect('PROT P', 200);
    const data = await openData(await ftp.epsv());
    await ftp.expect('NLST', 150);
    data.write('GET / HTTP/1.0\r\n\r\n');
    const reply = await ftp.read();
    data.destroy();
    expect(reply.code).toBe(425);
    expect(reply.text).toMatch(/TLS handshake of the data connection failed .*with PROT P it must use TLS/);
    expect(reply.text).not.toMatch(/openssl|SSL routines/i);
    expect((await ftp.send('NOOP')).code).toBe(200);
  });

  it('drops commands pipelined in clear text behind AUTH TLS (command injection)', async () => {
    const ftp = await connect();
    ftp.socket.write('AUTH TLS\r\nUSER injected\r\n');
    expect((await ftp.read()).code).toBe(234);
    ftp.socket.removeAllListeners('data');
    const secured = tlsConnect({ socket: ftp.socket, rejectUnauthorized: false });
    await new Promise((resolve) => secured.once('secureConnect', resolve));
    const reply = await new Promise<string>((resolve) => {
      secured.once('data', (chunk: Buffer) => resolve(chunk.toString()));
      secured.write('PASS whatever\r\n');
    });
    expect(reply).toBe('503 Login with USER first\r\n');
    secured.destroy();
  });

  it('with requireTls, refuses USER before AUTH TLS and transfers before PROT P', async () => {
    const ftp = await connect({ requireTls: true });
    expect((await ftp.send('USER alice')).code).toBe(534);
    await ftp.startTls();
    await ftp.login();
    await ftp.expect('PBSZ 0', 200);
    expect((await ftp.send('PROT C')).code).toBe(534);
    await ftp.epsv();
    expect((await ftp.send('LIST')).code).toBe(521);
  });

  it('answers 502 to AUTH TLS without a certificate, 504 to unknown mechanisms', async () => {
    served = await serve();
    const plain = await RawFtp.connect(served.port);
    opened.push(plain);
    expect((await plain.send('AUTH TLS')).code).toBe(502);
    served.close();
    const ftp = await connect();
    expect((await ftp.send('AUTH KERBEROS')).code).toBe(504);
  });

  it('requires TLS on an ftps:// URL, and refuses to listen there without a certificate', async () => {
    const server = createServer(async () => respond('ok'));
    await expect(server.listen(ftp('ftps://127.0.0.1:0'))).rejects.toThrow(/needs a certificate/);
    const listener = await server.listen(ftp('ftps://127.0.0.1:0', { server: { tls: TEST_TLS } }));
    const ftpConnection = await RawFtp.connect(Number(new URL(listener.url).port));
    opened.push(ftpConnection);
    expect((await ftpConnection.send('USER alice')).code).toBe(534);
    await ftpConnection.startTls();
    await ftpConnection.login();
    await server.close({ timeoutMs: 500 });
  });
});
