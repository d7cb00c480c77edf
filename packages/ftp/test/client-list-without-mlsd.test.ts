import { createServer, type Server, type Socket } from 'node:net';
import { createClient, readListing } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A server answering as vsftpd does: no MLSD, and a `LIST` of a missing folder or of a file is
 * `226` with an empty listing; only `CWD` tells a folder from the rest.
 */
function vsftpdLike(folders: Readonly<Record<string, string>>): Server {
  return createServer((control) => {
    control.on('error', () => {});
    let data: Promise<Socket> | undefined;
    const reply = (line: string): boolean => control.write(`${line}\r\n`);
    reply('220 (vsFTPd 3.0.3)');
    let buffer = '';
    control.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const verb = line.split(' ')[0]?.toUpperCase() ?? '';
        const arg = line.slice(verb.length + 1);
        if (verb === 'USER') reply('331 Please specify the password.');
        else if (verb === 'PASS') reply('230 Login successful.');
        else if (verb === 'FEAT')
          control.write('211-Features:\r\n EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n211 End\r\n');
        else if (verb === 'CWD') {
          if (`${arg.replace(/\/$/, '')}/` in folders) reply('250 Directory successfully changed.');
          else reply('550 Failed to change directory.');
        } else if (verb === 'EPSV') {
          const listener = createServer();
          data = new Promise((resolve) =>
            listener.once('connection', (socket) => {
              listener.close();
              resolve(socket);
            }),
          );
          listener.listen(0, '127.0.0.1', () => {
            const port = (listener.address() as { port: number }).port;
            reply(`229 Entering Extended Passive Mode (|||${port}|)`);
          });
        } else if (verb === 'LIST') {
          const path = arg.replace(/^-a /, '');
          const listing = folders[`${path.replace(/\/$/, '')}/`] ?? '';
          void data?.then((socket) => {
            reply('150 Here comes the directory listing.');
            socket.end(listing, () => reply('226 Directory send OK.'));
          });
        } else if (verb === 'QUIT') {
          reply('221 Goodbye.');
          control.end();
        } else reply('200 OK');
      }
    });
  });
}

let server: Server;
let url: string;

beforeAll(async () => {
  server = vsftpdLike({
    '/pub/': '-rw-r--r--    1 0        0              6 Dec 02 00:43 with space.txt\r\n',
    '/empty/': '',
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ftp://anonymous:x@127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
});

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
