import { createClient, ParleyError } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';

const servers: ScriptedFtpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server whose file has 10 bytes; it takes `REST` and then sends `sent` anyway. */
async function restServer(sent: string): Promise<string> {
  const server = await startScriptedFtpServer({
    SIZE: (control) => control.write('213 10\r\n'),
    REST: (control) => control.write('350 Restarting\r\n'),
    RETR: (control, _path, data) => {
      control.write('150 Sending\r\n');
      void data.socket.then((socket) => socket.end(sent, () => control.write('226 Done\r\n')));
    },
  });
  servers.push(server);
  return server.url;
}

/** What reading the rest of the file from byte 5 gives: its text, or the error's status and message. */
async function restFrom5(url: string): Promise<string> {
  await using client = createClient(ftp(url), { retries: 0 });
  const response = await client.get('/a.txt', { headers: { range: 'bytes=5-' } });
  return await response.body.text().then(
    (text) => `read ${text}`,
    (error: unknown) => (error instanceof ParleyError ? `${error.status}: ${error.message}` : String(error)),
  );
}

describe('a resumed FTP download', () => {
  it('is the rest of the file when the server sends it', async () => {
    expect(await restFrom5(await restServer('56789'))).toBe('read 56789');
  });

  it('fails when the server took REST but sent the whole file: appended, it would corrupt the copy', async () => {
    expect(await restFrom5(await restServer('0123456789'))).toBe(
      'unavailable: The resumed transfer sent 10 bytes, not the 5 from byte 5 to the end of the 10-byte file',
    );
  });

  it('fails when the server sent less than the rest', async () => {
    expect(await restFrom5(await restServer('567'))).toBe(
      'unavailable: The resumed transfer sent 3 bytes, not the 5 from byte 5 to the end of the 10-byte file',
    );
  });
});
