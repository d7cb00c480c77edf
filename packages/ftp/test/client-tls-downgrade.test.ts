import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createSecureContext, TLSSocket } from 'node:tls';
import { createClient, ParleyError } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../test/support/tls.js';

const certificate = selfSignedCertificate();
const servers: NetServer[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(server: NetServer): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/**
 * An FTP server in the middle that will not protect the session: it answers `AUTH TLS` with
 * `authReply` (upgrading on 234) and `PROT P` with `protReply`, accepts any login, and offers a
 * data port that speaks clear text. Records the commands and what arrives on the data port.
 */
async function downgradingServer(authReply: string, protReply: string) {
  const commands: string[] = [];
  const data: Buffer[] = [];
  const dataPort = await listen(
    createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => data.push(chunk));
      socket.end('file contents in clear text');
    }),
  );
  const secureContext = createSecureContext({ key: certificate.key, cert: certificate.cert });
  const serve = (socket: Socket): void => {
    let buffer = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (text: string) => {
      buffer += text;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        commands.push(line);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'AUTH') {
          reply(authReply);
          if (authReply.startsWith('234')) {
            socket.removeAllListeners('data');
            serve(new TLSSocket(socket, { isServer: true, secureContext }));
          }
        } else if (verb === 'USER') reply('331 Password please');
        else if (verb === 'PASS') reply('230 Logged in');
        else if (verb === 'PROT') reply(protReply);
        else if (verb === 'FEAT') reply('211 End');
        else if (verb === 'EPSV') reply(`229 Entering extended passive mode (|||${dataPort}|)`);
        else if (verb === 'RETR' || verb === 'STOR') reply('150 Opening data connection');
        else reply('200 OK');
      }
    });
  };
  const port = await listen(
    createNetServer((socket) => {
      serve(socket);
      socket.write('220 Ready\r\n');
    }),
  );
  return { port, commands, data };
}

function client(port: number, scheme = 'ftps') {
  const url = `${scheme}://alice:s3cret@127.0.0.1:${port}/`;
  return createClient(ftp(url, { client: { tls: { ca: certificate.cert } } }), {
    retries: 0,
    timeoutMs: 5000,
  });
}

describe('FTPS client against a server that will not protect the session', () => {
  for (const reply of ['534 Policy requires clear text', '500 AUTH not understood']) {
    it(`fails with a ParleyError and never sends USER or PASS when AUTH TLS gets ${reply.slice(0, 3)}`, async () => {
      const server = await downgradingServer(reply, '200 OK');
      await using ftpClient = client(server.port);
      await expect(ftpClient.get('/file.txt')).rejects.toSatisfy(
        (error) =>
          error instanceof ParleyError &&
          error.status === 'unavailable' &&
          !error.retryable &&
          error.message.includes('AUTH TLS') &&
          error.message.includes(reply),
      );
      expect(server.commands).toEqual(['AUTH TLS']);
    });
  }

  for (const method of ['GET', 'PUT'] as const) {
    it(`fails with a ParleyError before any transfer when PROT P is refused (${method})`, async () => {
      const server = await downgradingServer('234 Proceed', '536 PROT P not supported');
      await using ftpClient = client(server.port);
      const call = method === 'GET' ? ftpClient.get('/file.txt') : ftpClient.put('/file.txt', 'secret body');
      await expect(call).rejects.toSatisfy(
        (error) =>
          error instanceof ParleyError &&
          error.status === 'unavailable' &&
          !error.retryable &&
          error.message.includes('PROT P') &&
          error.message.includes('536'),
      );
      expect(server.commands.some((line) => /^(EPSV|PASV|RETR|STOR)\b/.test(line))).toBe(false);
      expect(Buffer.concat(server.data).toString('latin1')).not.toContain('secret body');
    });
  }

  it('takes tls options on an ftp:// URL as asking for FTPS: no login in clear text', async () => {
    const server = await downgradingServer('502 AUTH not implemented', '200 OK');
    await using ftpClient = client(server.port, 'ftp');
    await expect(ftpClient.get('/file.txt')).rejects.toSatisfy(
      (error) =>
        error instanceof ParleyError && error.status === 'unavailable' && /AUTH TLS/.test(error.message),
    );
    expect(server.commands).toEqual(['AUTH TLS']);
  });

  it("still logs in clear text on ftp:// with secure: false, the caller's explicit choice", async () => {
    const server = await downgradingServer('502 AUTH not implemented', '200 OK');
    const url = `ftp://alice:s3cret@127.0.0.1:${server.port}/`;
    const options = { client: { secure: false, tls: { ca: certificate.cert } } };
    await using ftpClient = createClient(ftp(url, options), { retries: 0, timeoutMs: 5000 });
    await ftpClient.head('/file.txt').catch(() => undefined);
    expect(server.commands).toContain('USER alice');
  });
});
