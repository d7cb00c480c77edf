import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/**
 * A raw FTP server without EPSV whose PASV replies name `address` (as a server behind NAT names
 * its private one) while it listens for the data connection on 127.0.0.1.
 */
function pasvServer(address: string): Promise<{ server: Server; port: number }> {
  const server = createServer((control) => {
    control.on('error', () => {});
    control.write('220 Ready\r\n');
    let data: Promise<Socket> | undefined;
    let buffered = '';
    control.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const verb = buffered.slice(0, end).split(' ')[0]?.toUpperCase();
        buffered = buffered.slice(end + 2);
        if (verb === 'USER') control.write('331 Password required\r\n');
        else if (verb === 'PASS') control.write('230 Logged in\r\n');
        else if (verb === 'TYPE' || verb === 'STRU' || verb === 'OPTS') control.write('200 OK\r\n');
        else if (verb === 'PASV') {
          const listener = createServer();
          data = new Promise((resolve) => listener.once('connection', resolve));
          listener.listen(0, '127.0.0.1', () => {
            const info = listener.address();
            const port = typeof info === 'object' && info !== null ? info.port : 0;
            const host = address.replaceAll('.', ',');
            control.write(`227 Entering Passive Mode (${host},${port >> 8},${port & 255})\r\n`);
          });
          void data.then(() => listener.close());
        } else if (verb === 'RETR' && data !== undefined) {
          void data.then((socket) => {
            control.write('150 Opening data connection\r\n');
            socket.end('content\n', () => control.write('226 Transfer complete\r\n'));
          });
        } else if (verb === 'QUIT') control.end('221 Bye\r\n');
        else control.write('502 Not implemented\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const info = server.address();
      resolve({ server, port: typeof info === 'object' && info !== null ? info.port : 0 });
    }),
  );
}

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

describe("parley over FTP connects to the control connection's address, whatever PASV names, as curl", () => {
  for (const address of ['10.0.0.1', '198.51.100.7']) {
    it(`downloads from a server whose PASV names ${address}`, async () => {
      const { server, port } = await pasvServer(address);
      servers.push(server);
      const run = await parley(['--max-time', '60', `ftp://127.0.0.1:${port}/a.txt`]);
      expect(run).toMatchObject({ code: 0, stdout: 'content\n', stderr: '' });
    });
  }
});
