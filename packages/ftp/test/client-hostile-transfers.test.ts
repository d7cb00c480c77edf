import { createClient, ParleyError } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';

const servers: ScriptedFtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** What reading a body ends with: its byte count, or the error's status. */
function outcome(read: Promise<Uint8Array>): Promise<string> {
  return read.then(
    (bytes) => `read ${bytes.byteLength} bytes`,
    (error: unknown) => (error instanceof ParleyError ? `ParleyError ${error.status}` : String(error)),
  );
}

describe('an FTP download from a server that breaks off', () => {
  it('keeps the failure of a body cut off before anything reads it for its reader, uncaught by none', async () => {
    const uncaught: unknown[] = [];
    const note = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', note);
    try {
      const server = await startScriptedFtpServer({
        RETR: (control, _path, data) => {
          control.write('150 sending\r\n');
          void data.socket.then((socket) => {
            socket.write('x'.repeat(50));
            // The control connection drops mid-transfer, the data connection stays open.
            setTimeout(() => control.destroy(), 200);
          });
        },
      });
      servers.push(server);
      await using client = createClient(ftp(server.url), { retries: 0 });
      const response = await client.get('/file.bin');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await outcome(response.body.bytes())).toBe('ParleyError unavailable');
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', note);
    }
  });

  /** A server whose 150 announces 100 bytes and which sends `sent` of them, then says 226. */
  async function announcingServer(sent: number): Promise<string> {
    const server = await startScriptedFtpServer({
      RETR: (control, path, data) => {
        control.write(`150 Opening BINARY mode data connection for ${path} (100 bytes).\r\n`);
        void data.socket.then((socket) => {
          socket.end('x'.repeat(sent), () =>
            setTimeout(() => control.write('226 Transfer complete\r\n'), 50),
          );
        });
      },
    });
    servers.push(server);
    return server.url;
  }

  it('fails the body when fewer bytes come than the 150 reply announced, though the server says 226', async () => {
    await using client = createClient(ftp(await announcingServer(5)), { retries: 0 });
    const response = await client.get('/file.bin');
    expect(await outcome(response.body.bytes())).toBe('ParleyError unavailable');
  });

  it('reads a body of the announced size whole', async () => {
    await using client = createClient(ftp(await announcingServer(100)), { retries: 0 });
    const response = await client.get('/file.bin');
    expect(await outcome(response.body.bytes())).toBe('read 100 bytes');
  });

  /** A server that announces no size in 150, answers SIZE with `size` (502 when undefined), sends `sent` bytes, then 226. */
  async function silentServer(sent: number, size: number | undefined, sizes: string[] = []): Promise<string> {
    const server = await startScriptedFtpServer({
      SIZE: (control, path) => {
        sizes.push(path);
        control.write(size === undefined ? '502 not implemented\r\n' : `213 ${size}\r\n`);
      },
      RETR: (control, _path, data) => {
        control.write('150 File status okay. About to open data connection.\r\n');
        void data.socket.then((socket) => {
          socket.end('x'.repeat(sent), () =>
            setTimeout(() => control.write('226 Transfer complete\r\n'), 50),
          );
        });
      },
    });
    servers.push(server);
    return server.url;
  }

  it('asks SIZE after a download whose 150 reply announced none, and fails a body shorter than the answer', async () => {
    await using client = createClient(ftp(await silentServer(5, 100)), { retries: 0 });
    const response = await client.get('/file.bin');
    expect(await outcome(response.body.bytes())).toBe('ParleyError unavailable');
  });

  it('reads a body of the size SIZE answered whole, and one of a server that cannot tell', async () => {
    const sizes: string[] = [];
    await using client = createClient(ftp(await silentServer(100, 100, sizes)), { retries: 0 });
    expect(await outcome((await client.get('/file.bin')).body.bytes())).toBe('read 100 bytes');
    expect(sizes).toEqual(['/file.bin']);
    await using unknowing = createClient(ftp(await silentServer(7, undefined)), { retries: 0 });
    expect(await outcome((await unknowing.get('/file.bin')).body.bytes())).toBe('read 7 bytes');
  });

  it('asks no SIZE of a server whose 150 replies announce the size', async () => {
    const sizes: string[] = [];
    const server = await startScriptedFtpServer({
      SIZE: (control, path) => {
        sizes.push(path);
        control.write('213 100\r\n');
      },
      RETR: (control, path, data) => {
        control.write(`150 Opening BINARY mode data connection for ${path} (100 bytes).\r\n`);
        void data.socket.then((socket) => {
          socket.end('x'.repeat(100), () => setTimeout(() => control.write('226 Transfer complete\r\n'), 20));
        });
      },
    });
    servers.push(server);
    await using client = createClient(ftp(server.url, { client: { poolSize: 1 } }), { retries: 0 });
    for (let i = 0; i < 3; i += 1)
      expect(await outcome((await client.get('/a.bin')).body.bytes())).toBe('read 100 bytes');
    expect(sizes).toEqual([]);
  });
});

describe('an FTP data port that accepts the connection and never sends', () => {
  it.each([
    ['a download', 'RETR', (client: ReturnType<typeof createClient>) => client.get('/a.txt')],
    ['a listing', 'MLSD', (client: ReturnType<typeof createClient>) => client.list('/d/')],
  ])('%s fails timeout after the client timeoutMs, not a broken connection', async (_what, verb, call) => {
    const server = await startScriptedFtpServer({
      FEAT: (control) => control.write('211-features\r\n EPSV\r\n MLST type*;size*;\r\n211 end\r\n'),
      [verb]: (control) => control.write('150 sending\r\n'),
    });
    servers.push(server);
    await using client = createClient(ftp(server.url, { client: { timeoutMs: 300 } }), { retries: 0 });
    const failed = await call(client).then(
      (response) => response.body.bytes(),
      (error: unknown) => error,
    );
    expect(failed).toMatchObject({ status: 'timeout', message: 'The data connection timed out' });
  });
});
