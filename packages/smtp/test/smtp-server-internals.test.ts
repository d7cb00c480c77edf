import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { describe, expect, it } from 'vitest';

/**
 * The SMTP listener overrides private parts of smtp-server (server/connection-hooks.ts): the
 * greeting, the enhanced status code of a reply, the first-MAIL deadline, the connection
 * gate and the data mode of the input parser (server/data-parser.ts). They are not public API, so the dependency is pinned to one version; this test names
 * every private part Parley relies on and fails when an upgrade changes one of them.
 */
const manifest = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8'),
) as { dependencies: Record<string, string> };
const pinned = manifest.dependencies['smtp-server'] as string;
const installed = (
  createRequire(import.meta.url)('smtp-server/package.json') as {
    version: string;
  }
).version;
const why = `Parley's SMTP connection hooks are written against smtp-server ${pinned}; review server/connection-hooks.ts before moving to ${installed}`;

/** A real smtp-server connection, with its server, once the client is connected. */
async function realConnection(): Promise<{ server: SMTPServer; connection: SMTPConnection; client: Socket }> {
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authOptional: true,
    hideENHANCEDSTATUSCODES: false,
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address() as { port: number };
  const client = connect(address.port, '127.0.0.1');
  client.on('error', () => undefined);
  await new Promise((resolve) => client.once('data', resolve));
  const [connection] = server.connections as Set<SMTPConnection>;
  if (connection === undefined) throw new Error(`No connection seen. ${why}`);
  return { server, connection, client };
}

describe('smtp-server internals Parley overrides', () => {
  it('is the pinned version, pinned exactly', () => {
    expect(pinned, 'smtp-server must be pinned to an exact version in package.json').toMatch(
      /^\d+\.\d+\.\d+$/,
    );
    expect(installed, why).toBe(pinned);
  });

  it('has the server methods and fields the connection gate replaces or calls', () => {
    for (const method of ['connect', 'listen', 'close', '_onError', '_onClientConnect'] as const) {
      expect(typeof SMTPServer.prototype[method], `SMTPServer.prototype.${method}: ${why}`).toBe('function');
    }
    expect(SMTPServer.prototype.connect.length, `SMTPServer.prototype.connect(socket, options): ${why}`).toBe(
      2,
    );
  });

  it('has the connection methods the hooks override or call', () => {
    const methods = [
      'init',
      '_setListeners',
      'connectionReady',
      'send',
      'close',
      '_getEnhancedStatusCode',
      '_createParser',
      '_onCommand',
    ] as const;
    for (const method of methods) {
      expect(typeof SMTPConnection.prototype[method], `SMTPConnection.prototype.${method}: ${why}`).toBe(
        'function',
      );
    }
    expect(SMTPConnection.length, `new SMTPConnection(server, socket, options): ${why}`).toBe(3);
  });

  it('has the parser methods and fields the data parser replaces or calls', () => {
    for (const method of ['_feedDataStream', '_countDataBytes', '_endDataMode', 'startDataMode'] as const) {
      expect(typeof SMTPStream.prototype[method], `SMTPStream.prototype.${method}: ${why}`).toBe('function');
    }
    const parser = new SMTPStream();
    parser.startDataMode();
    expect(parser._atDataStart, `SMTPStream._atDataStart: ${why}`).toBe(true);
    expect(parser._lastBytes, `SMTPStream._lastBytes: ${why}`).toBe(false);
    expect(parser._dataStream, `SMTPStream._dataStream: ${why}`).not.toBeNull();
  });

  it('has the private fields of a live connection with the expected types', async () => {
    const { server, connection, client } = await realConnection();
    try {
      expect(server.server.listening, `SMTPServer.server (the net.Server): ${why}`).toBe(true);
      expect(server.connections, `SMTPServer.connections: ${why}`).toBeInstanceOf(Set);
      expect(connection._socket, `SMTPConnection._socket: ${why}`).toBeInstanceOf(Socket);
      expect(typeof connection._transactionCounter, `SMTPConnection._transactionCounter: ${why}`).toBe(
        'number',
      );
      expect(typeof connection.session, `SMTPConnection.session: ${why}`).toBe('object');
      expect(typeof connection.session.id, `SMTPConnection.session.id: ${why}`).toBe('string');
      expect(typeof connection.session.envelope, `SMTPConnection.session.envelope: ${why}`).toBe('object');
      expect(connection._getEnhancedStatusCode(550, 'RCPT TO'), `_getEnhancedStatusCode: ${why}`).toMatch(
        /^5\.\d+\.\d+$/,
      );
      // A single-line reply is written by the connection itself (see ParleySmtpConnection.send).
      expect(connection._upgrading, `SMTPConnection._upgrading: ${why}`).toBe(false);
      expect(connection._socket.readyState, `SMTPConnection._socket.readyState: ${why}`).toBe('open');
      expect(connection._server, `SMTPConnection._server: ${why}`).toBe(server);
      expect(typeof server.logger.debug, `SMTPServer.logger.debug: ${why}`).toBe('function');
      expect(typeof connection.id, `SMTPConnection.id: ${why}`).toBe('string');
    } finally {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
