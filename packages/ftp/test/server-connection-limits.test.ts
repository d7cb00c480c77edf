import { connect, type Socket } from 'node:net';
import { passwordTable } from '@parley/core';
import { throttledError } from '@parley/core/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { openData, RawFtp, readAll } from './raw-ftp.js';
import { eventually, type Served, serve } from './serve.js';

let served: Served | undefined;
const sockets: Socket[] = [];
const opened: RawFtp[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const ftp of opened.splice(0)) ftp.close();
  await served?.close();
  served = undefined;
});

/** A slow client: connects from `localAddress`, reads the first reply line and then sends nothing. */
function slowClient(port: number, localAddress: string): Promise<{ socket: Socket; first: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    sockets.push(socket);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n');
      if (end !== -1) resolve({ socket, first: text.slice(0, end) });
    });
    socket.once('error', reject);
    socket.once('close', () => resolve({ socket, first: text }));
  });
}

describe('slow connections from one address', () => {
  it('cannot lock others out: 1,100 from 127.0.0.2 while 127.0.0.1 logs in and downloads', async () => {
    served = await serve();
    const { port, store, listener } = served;
    store.files.set('/report.txt', { bytes: Buffer.from('the report'), modified: new Date() });
    const replies: string[] = [];
    for (let batch = 0; batch < 11; batch++) {
      const clients = await Promise.all(Array.from({ length: 100 }, () => slowClient(port, '127.0.0.2')));
      replies.push(...clients.map((client) => client.first.slice(0, 3)));
    }
    expect(replies.filter((code) => code === '220')).toHaveLength(64);
    expect(replies.filter((code) => code === '421')).toHaveLength(1100 - 64);
    await eventually(() => listener.stats().connections === 64, 10_000);
    await eventually(() => sockets.filter((socket) => socket.readableEnded).length === 1100 - 64, 10_000);

    const ftp = await RawFtp.connect(port);
    opened.push(ftp);
    await ftp.login();
    const data = await openData(await ftp.epsv());
    const bytes = readAll(data);
    expect((await ftp.send('RETR report.txt')).code).toBe(150);
    expect((await bytes).toString()).toBe('the report');
    expect((await ftp.read()).code).toBe(226);
  }, 60_000);

  it('spread over 127.0.0.2-6, holds at most maxConnectionsPerAddress from each', async () => {
    served = await serve({ maxConnectionsPerAddress: 8 });
    const { port, listener } = served;
    for (const host of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']) {
      const clients = await Promise.all(Array.from({ length: 12 }, () => slowClient(port, host)));
      expect(clients.filter((client) => client.first.startsWith('220'))).toHaveLength(8);
    }
    expect(listener.stats().connections).toBe(40);
    const ftp = await RawFtp.connect(port);
    opened.push(ftp);
    await ftp.login();
  });

  it('refuses connections over maxConnections with 421, from any address', async () => {
    served = await serve({ maxConnections: 3 });
    const { port } = served;
    await slowClient(port, '127.0.0.2');
    await slowClient(port, '127.0.0.3');
    await slowClient(port, '127.0.0.4');
    const refused = await slowClient(port, '127.0.0.1');
    expect(refused.first).toBe('421 Too many requests: too many connections');
  });
});

describe('login deadline', () => {
  it('closes a connection that has not logged in within loginTimeoutMs with 421', async () => {
    served = await serve({ loginTimeoutMs: 200 });
    const ftp = await RawFtp.connect(served.port);
    opened.push(ftp);
    await ftp.expect('USER alice', 331);
    const reply = await ftp.read(5000);
    expect(reply.code).toBe(421);
    expect(reply.text).toMatch(/no login within/);
    await eventually(() => ftp.closed);
  });

  it('leaves a logged-in connection to the idle timeout', async () => {
    served = await serve({ loginTimeoutMs: 100, idleTimeoutMs: 60_000 });
    const ftp = await RawFtp.connect(served.port);
    opened.push(ftp);
    await ftp.login();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(ftp.closed).toBe(false);
    expect((await ftp.send('NOOP')).code).toBe(200);
  });
});

describe('credential guessing across connections (the server throttle)', () => {
  it('answers a throttled login with 421 and closes the connection (hook throwing throttledError)', async () => {
    served = await serve({
      authenticate: () => {
        throw throttledError(5000);
      },
    });
    const ftp = await RawFtp.connect(served.port);
    opened.push(ftp);
    await ftp.expect('USER alice', 331);
    const reply = await ftp.send('PASS secret');
    expect(reply.code).toBe(421);
    expect(reply.text).toMatch(/try again in 5 s/);
    await eventually(() => ftp.closed);
  });

  it('throttles an address across connections with the server authThrottle, with the real remote address', async () => {
    const addresses: string[] = [];
    const table = passwordTable({ alice: 'secret' });
    served = await serve({
      authenticate: (credentials, peer) => {
        addresses.push(peer.address ?? '');
        return table(credentials, peer);
      },
      authThrottle: { freeFailures: 2, baseDelayMs: 60_000 },
    });
    const { port } = served;
    for (let attempt = 0; attempt < 3; attempt++) {
      const guess = await RawFtp.connect(port, { localAddress: '127.0.0.2' });
      opened.push(guess);
      await guess.expect('USER alice', 331);
      expect((await guess.send('PASS wrong')).code).toBe(530);
    }
    expect(addresses).toEqual(['127.0.0.2', '127.0.0.2', '127.0.0.2']);
    const throttled = await RawFtp.connect(port, { localAddress: '127.0.0.2' });
    opened.push(throttled);
    await throttled.expect('USER alice', 331);
    expect((await throttled.send('PASS secret')).code).toBe(421);
    await eventually(() => throttled.closed);
    const other = await RawFtp.connect(port);
    opened.push(other);
    await other.login('alice', 'secret');
  });
});
