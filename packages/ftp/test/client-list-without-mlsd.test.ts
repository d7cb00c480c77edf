import { createClient, readListing } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';

/**
 * A server answering as vsftpd does: no MLSD, and a `LIST` of a missing folder or of a file is
 * `226` with an empty listing; only `CWD` tells a folder from the rest.
 */
function vsftpdLike(folders: Readonly<Record<string, string>>): Promise<ScriptedFtpServer> {
  const known = (path: string): string | undefined => folders[`${path.replace(/\/$/, '')}/`];
  return startScriptedFtpServer({
    FEAT: (control) => control.write('211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n211 End\r\n'),
    CWD: (control, path) =>
      control.write(
        known(path) === undefined
          ? '550 Failed to change directory.\r\n'
          : '250 Directory successfully changed.\r\n',
      ),
    LIST: (control, argument, data) =>
      void data.socket.then((socket) => {
        control.write('150 Here comes the directory listing.\r\n');
        socket.end(known(argument.replace(/^-a /, '')) ?? '', () =>
          control.write('226 Directory send OK.\r\n'),
        );
      }),
  });
}

let server: ScriptedFtpServer;
let url: string;

beforeAll(async () => {
  server = await vsftpdLike({
    '/pub/': '-rw-r--r--    1 0        0              6 Dec 02 00:43 with space.txt\r\n',
    '/empty/': '',
  });
  url = server.url;
});
afterAll(() => server.close());

describe('the FTP client listing over LIST (a server without MLSD, such as vsftpd)', () => {
  it('reads a folder, and an empty folder as an empty listing', async () => {
    const client = createClient(ftp(url), { retries: 0 });
    try {
      expect(await readListing(await client.list('/pub/'))).toEqual([
        expect.objectContaining({ name: 'with space.txt', type: 'file', size: 6 }),
      ]);
      const empty = await client.list('/empty/');
      expect(empty.status).toBe('ok');
      expect(await readListing(empty)).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it('answers not_found for a missing folder, which the server lists as empty', async () => {
    const client = createClient(ftp(url), { retries: 0 });
    try {
      const missing = await client.list('/nowhere/');
      expect(missing.status).toBe('not_found');
      expect(await missing.body.text()).toMatch(/Failed to change directory/);
    } finally {
      await client.close();
    }
  });
});
