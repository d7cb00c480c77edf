import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ScriptedFtpServer, startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/**
 * An FTP server without EPSV whose PASV replies name `address` (as a server behind NAT names
 * its private one) while it listens for the data connection on 127.0.0.1.
 */
function pasvServer(address: string): Promise<ScriptedFtpServer> {
  return startScriptedFtpServer(
    {
      FEAT: (control) => control.write('502 Not implemented\r\n'),
      EPSV: (control) => control.write('502 Not implemented\r\n'),
      RETR: (control, _argument, data) =>
        void data.socket.then((socket) => {
          control.write('150 Opening data connection\r\n');
          socket.end('content\n', () => control.write('226 Transfer complete\r\n'));
        }),
    },
    { passiveAddress: address },
  );
}

const servers: ScriptedFtpServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

describe("parley over FTP connects to the control connection's address, whatever PASV names, as curl", () => {
  for (const address of ['10.0.0.1', '198.51.100.7']) {
    it(`downloads from a server whose PASV names ${address}`, async () => {
      const server = await pasvServer(address);
      servers.push(server);
      const run = await parley(['--max-time', '60', `${server.url}/a.txt`]);
      expect(run).toMatchObject({ code: 0, stdout: 'content\n', stderr: '' });
    });
  }
});
