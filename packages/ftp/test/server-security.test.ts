import { createServer as createTcpServer, type Socket } from 'node:net';
import { passwordTable } from '@parley/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openData, RawFtp, readAll, sendAll } from './raw-ftp.js';
import { eventually, type Served, serve } from './serve.js';

let served: Served | undefined;
const opened: RawFtp[] = [];

async function start(options: Parameters<typeof serve>[0] = {}): Promise<Served> {
  served = await serve(options);
  return served;
}
async function connect(port: number, options?: Parameters<typeof RawFtp.connect>[1]): Promise<RawFtp> {
  const ftp = await RawFtp.connect(port, options);
  opened.push(ftp);
  return ftp;
}
afterEach(async () => {
  for (const ftp of opened.splice(0)) ftp.close();
  await served?.close();
  served = undefined;
});

describe('active mode (FXP and bounce attacks)', () => {
  it('refuses PORT and EPRT with 502 by default', async () => {
    const { port } = await start();
    const ftp = await connect(port);
    await ftp.login();
    expect((await ftp.send('PORT 127,0,0,1,195,80')).code).toBe(502);
    expect((await ftp.send('EPRT |1|127.0.0.1|50000|')).code).toBe(502);
  });

  it('with activeMode, refuses a third host and privileged ports with 501, and connects back to the client', async () => {
    const { port, store } = await start({ activeMode: true });
    store.files.set('/a.txt', { bytes: Buffer.from('active'), modified: new Date() });
    const ftp = await connect(port);
    await ftp.login();
    expect((await ftp.send('PORT 10,0,0,1,195,80')).code).toBe(501);
    expect((await ftp.send('EPRT |1|127.0.0.2|50000|')).code).toBe(501);
    expect((await ftp.send('EPRT |2|::1|50000|')).code).toBe(501);
    expect((await ftp.send('PORT 127,0,0,1,0,25')).code).toBe(501);
    expect((await ftp.send('PORT 127,0,0,1,999,1')).code).toBe(501);
    expect((await ftp.send('EPRT garbage')).code).toBe(501);
    const sink = createTcpServer();
    const received = new Promise<Buffer>((resolve) =>
      sink.once('connection', (socket: Socket) => resolve(readAll(socket))),
    );
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const sinkPort = (sink.address() as { port: number }).port;
    expect((await ftp.send(`EPRT |1|127.0.0.1|${sinkPort}|`)).code).toBe(200);
    expect((await ftp.send('RETR a.txt')).code).toBe(150);
    expect((await received).toString()).toBe('active');
    expect((await ftp.read()).code).toBe(226);
    sink.close();
  });
});

describe('passive data connections', () => {
  it('refuses a data connection from another address than the control connection', async () => {
    const { port, store } = await start();
    store.files.set('/a.txt', { bytes: Buffer.from('secret'), modified: new Date() });
    const ftp = await connect(port);
    await ftp.login();
    const dataPort = await ftp.epsv();
    const thief = await openData(dataPort, '127.0.0.2');
    const stolen = readAll(thief);
    expect((await stolen).byteLength).toBe(0);
    const data = await openData(dataPort);
    const bytes = readAll(data);
    expect((await ftp.send('RETR a.txt')).code).toBe(150);
    expect((await bytes).toString()).toBe('secret');
    expect((await ftp.read()).code).toBe(226);
  });

  it('draws passive ports from the configured range', async () => {
    const { port } = await start({ passivePorts: { min: 21100, max: 21109 } });
    const ftp = await connect(port);
    await ftp.login();
    for (let i = 0; i < 20; i++) {
      const dataPort = await ftp.epsv();
      expect(dataPort).toBeGreaterThanOrEqual(21100);
      expect(dataPort).toBeLessThanOrEqual(21109);
    }
  });

  it('releases passive ports after failed, aborted, timed-out and disconnected transfers', async () => {
    const { port, listener } = await start({ passivePorts: { min: 21120, max: 21122 }, dataTimeoutMs: 200 });
    const ftp = await connect(port);
    await ftp.login();
    for (let i = 0; i < 10; i++) {
      await ftp.epsv();
      expect((await ftp.send('RETR missing')).code).toBe(550);
      await ftp.epsv();
      expect((await ftp.send('ABOR')).code).toBe(225);
      const dataPort = await ftp.epsv();
      (await openData(dataPort)).destroy();
      expect((await ftp.send('NLST missing')).code).toBe(550);
    }
    await ftp.epsv();
    expect((await ftp.send('RETR missing-too', 3000)).code).toBe(550);
    await ftp.epsv();
    await eventually(() => listener.stats().passiveListeners === 0);
    expect((await ftp.send('LIST', 3000)).code).toBe(150);
    expect((await ftp.read()).code).toBe(425);
    for (let i = 0; i < 3; i++) {
      const other = await connect(port);
      await other.login();
      await other.epsv();
      other.close();
    }
    await eventually(() => listener.stats().passiveListeners === 0 && listener.stats().connections === 1);
    const ports = new Set<number>();
    for (let i = 0; i < 3; i++) ports.add(await ftp.epsv());
    expect(ports.size).toBeGreaterThan(0);
  });

  it('answers 425 when every port of the range is taken', async () => {
    const { port } = await start({ passivePorts: { min: 21130, max: 21130 } });
    const first = await connect(port);
    await first.login();
    expect(await first.epsv()).toBe(21130);
    const second = await connect(port);
    await second.login();
    expect((await second.send('EPSV')).code).toBe(425);
    first.close();
    await eventually(() => served?.listener.stats().passiveListeners === 0);
    expect(await second.epsv()).toBe(21130);
  });
});

describe('paths', () => {
  it('keeps every path inside the root: .., backslashes, encoded dots stay literal, NUL refused', async () => {
    const { port, store } = await start();
    const ftp = await connect(port);
    await ftp.login();
    const paths: string[] = [];
    for (const name of [
      '../../etc/passwd',
      '/../../../etc/passwd',
      '..\\..\\etc\\passwd',
      'a/./b/../../../x',
      '%2e%2e/%2e%2e/y',
    ]) {
      await ftp.send(`SIZE ${name}`);
      paths.push(store.seen.at(-1)?.path ?? '');
    }
    expect(paths).toEqual(['/etc/passwd', '/etc/passwd', '/etc/passwd', '/x', '/%2e%2e/%2e%2e/y']);
    expect((await ftp.send('CWD ../../..')).code).toBe(250);
    expect((await ftp.send('PWD')).text).toBe('257 "/" is the current directory');
    expect((await ftp.send('SIZE a\0b')).code).toBe(501);
  });
});

describe('logins', () => {
  const authenticate = passwordTable({ alice: 'secret' });

  it('answers 331 to USER whether or not the user exists', async () => {
    const { port } = await start({ authenticate });
    const ftp = await connect(port);
    expect((await ftp.send('USER alice')).text).toBe('331 Password required');
    expect((await ftp.send('USER nobody-here')).text).toBe('331 Password required');
  });

  it('refuses bad passwords with 530 and closes with 421 after the third', async () => {
    const { port, store } = await start({ authenticate });
    const ftp = await connect(port);
    for (let attempt = 1; attempt <= 2; attempt++) {
      await ftp.expect('USER alice', 331);
      expect((await ftp.send('PASS wrong')).text).toBe('530 Login incorrect');
      expect((await ftp.send('PWD')).code).toBe(530);
    }
    await ftp.expect('USER alice', 331);
    expect((await ftp.send('PASS wrong')).code).toBe(421);
    await eventually(() => ftp.closed);
    const good = await connect(port);
    await good.login('alice', 'secret');
    expect((await good.send('SIZE x')).code).toBe(550);
    expect(store.seen.at(-1)?.peer.principal?.name).toBe('alice');
  });

  it('honours maxLoginAttempts', async () => {
    const { port } = await start({ authenticate, maxLoginAttempts: 1 });
    const ftp = await connect(port);
    await ftp.expect('USER alice', 331);
    expect((await ftp.send('PASS wrong')).code).toBe(421);
  });

  it('refuses a login whose hook throws with 530 and reports the failure', async () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const { port } = await start({
        ftpAuthenticate: () => {
          throw new Error('user database down');
        },
      });
      const ftp = await connect(port);
      await ftp.expect('USER alice', 331);
      expect((await ftp.send('PASS secret')).text).toBe('530 Login incorrect');
      // The server's error hook (by default, console.error) names where it failed and why.
      const call = reported.mock.calls.find((args) => /ftp PASS/.test(String(args[0]))) ?? [];
      expect(String(call[0])).toMatch(/ftp PASS from 127\.0\.0\.1 failed/);
      expect(call.map((arg) => String((arg as Error)?.message ?? arg)).join(' ')).toContain(
        'user database down',
      );
    } finally {
      reported.mockRestore();
    }
  });

  it('holds a refused login back for loginFailureDelayMs', async () => {
    const { port } = await start({ authenticate, loginFailureDelayMs: 60_000 });
    const ftp = await connect(port);
    await ftp.expect('USER alice', 331);
    await expect(ftp.send('PASS wrong', 300)).rejects.toThrow(/No reply in time/);
  });

  it('checks logins with the transport option authenticate, over the server hook', async () => {
    const ftpAuthenticate = passwordTable({ ftpuser: 'ftppw' });
    const { port, store } = await start({ authenticate, ftpAuthenticate });
    const ftp = await connect(port);
    await ftp.expect('USER alice', 331);
    expect((await ftp.send('PASS secret')).code).toBe(530);
    await ftp.login('ftpuser', 'ftppw');
    expect((await ftp.send('SIZE x')).code).toBe(550);
    expect(store.seen.at(-1)?.peer.principal?.name).toBe('ftpuser');
  });

  it('asks for a login with its own authenticate option while the server is open', async () => {
    const { port } = await start({ ftpAuthenticate: authenticate });
    const ftp = await connect(port);
    await ftp.expect('USER anonymous', 331);
    expect((await ftp.send('PASS guest')).code).toBe(530);
  });

  it('refuses every login when anonymous is false and there is no hook', async () => {
    const { port } = await start({ anonymous: false });
    const ftp = await connect(port);
    await ftp.expect('USER anyone', 331);
    expect((await ftp.send('PASS any')).code).toBe(530);
  });
});

describe('connection limits', () => {
  it('refuses connections over maxConnections with 421', async () => {
    const { port } = await start({ maxConnections: 2 });
    await connect(port);
    await connect(port);
    const third = await connect(port, { greeting: false });
    expect((await third.read()).text).toBe('421 Too many requests: too many connections');
    await eventually(() => third.closed);
  });

  it('refuses connections over maxConnectionsPerAddress with 421, not from other addresses', async () => {
    const { port } = await start({ maxConnectionsPerAddress: 1 });
    await connect(port);
    const second = await connect(port, { greeting: false });
    expect((await second.read()).code).toBe(421);
    const other = await connect(port, { localAddress: '127.0.0.2', greeting: false });
    expect((await other.read()).code).toBe(220);
  });

  it('closes an idle control connection with 421 after idleTimeoutMs', async () => {
    const { port } = await start({ idleTimeoutMs: 150 });
    const ftp = await connect(port);
    await ftp.login();
    const reply = await ftp.read(3000);
    expect(reply.code).toBe(421);
    expect(reply.text).toMatch(/Timed out/);
    await eventually(() => ftp.closed);
  });

  it('answers 425 when the data connection is not opened within dataTimeoutMs', async () => {
    const { port, store, listener } = await start({ dataTimeoutMs: 150 });
    store.files.set('/a.txt', { bytes: Buffer.from('x'), modified: new Date() });
    const ftp = await connect(port);
    await ftp.login();
    await ftp.epsv();
    expect((await ftp.send('RETR a.txt')).code).toBe(150);
    expect((await ftp.read(3000)).code).toBe(425);
    expect(listener.stats().passiveListeners).toBe(0);
  });

  it('answers 426 when an upload stalls longer than dataTimeoutMs', async () => {
    const { port, store } = await start({ dataTimeoutMs: 200 });
    const ftp = await connect(port);
    await ftp.login();
    const data = await openData(await ftp.epsv());
    expect((await ftp.send('STOR slow.txt')).code).toBe(150);
    data.write('partial');
    expect((await ftp.read(3000)).code).toBe(426);
    expect(store.files.has('/slow.txt')).toBe(false);
  });

  it('answers 500 to a command line over maxCommandLength and closes, with or without a newline', async () => {
    const { port } = await start({ maxCommandLength: 64 });
    const ftp = await connect(port);
    expect((await ftp.send(`USER ${'x'.repeat(100)}`)).code).toBe(500);
    await eventually(() => ftp.closed);
    const endless = await connect(port);
    endless.socket.write('NOOP'.repeat(100));
    expect((await endless.read()).text).toMatch(/^500 Command line too long/);
    await eventually(() => endless.closed);
  });

  it('cuts an upload over maxBodyBytes off with 552', async () => {
    const { port, store } = await start({ maxBodyBytes: 1000 });
    const ftp = await connect(port);
    await ftp.login();
    const data = await openData(await ftp.epsv());
    data.on('error', () => {});
    expect((await ftp.send('STOR big.bin')).code).toBe(150);
    void sendAll(data, Buffer.alloc(100_000, 1));
    const reply = await ftp.read();
    expect(reply.code).toBe(552);
    expect(reply.text).toMatch(/1000 bytes/);
    expect(store.files.has('/big.bin')).toBe(false);
    const small = await openData(await ftp.epsv());
    await ftp.expect('STOR small.bin', 150);
    await sendAll(small, Buffer.alloc(1000, 2));
    expect((await ftp.read()).code).toBe(226);
  });

  it('still takes the deprecated maxUploadBytes when maxBodyBytes is not set', async () => {
    const { port } = await start({ maxUploadBytes: 10 });
    const ftp = await connect(port);
    await ftp.login();
    const data = await openData(await ftp.epsv());
    data.on('error', () => {});
    expect((await ftp.send('STOR big.bin')).code).toBe(150);
    void sendAll(data, Buffer.alloc(1000, 1));
    expect((await ftp.read()).text).toMatch(/^552 .*10 bytes/);
  });
});
