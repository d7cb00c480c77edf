import { createClient, ParleyError } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from './scripted-ftp-server.js';

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
});
