import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3}) (.*)$/s;

/**
 * An `smtp-server` whose connections (1) greet after a configurable delay instead of the
 * fixed 100 ms, and (2) send the enhanced status code a reply text starts with (`5.7.1 ...`)
 * instead of the one the library would pick from the basic code.
 */
export class ParleySmtpServer extends SMTPServer {
  readonly #greetingDelayMs: number;

  constructor(options: SMTPServerOptions, greetingDelayMs: number) {
    super(options);
    this.#greetingDelayMs = greetingDelayMs;
  }

  override connect(socket: Socket, socketOptions?: ConstructorParameters<typeof SMTPConnection>[2]): void {
    socket.setNoDelay(true);
    const connection = new SMTPConnection(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (error: Error) => this._onError(error));
    connection.on('connect', (data: Parameters<SMTPServer['_onClientConnect']>[0]) =>
      this._onClientConnect(data),
    );
    customize(connection, this.#greetingDelayMs);
    connection.init();
  }
}

function customize(connection: SMTPConnection, delayMs: number): void {
  const send = connection.send.bind(connection);
  const enhancedFor = connection._getEnhancedStatusCode.bind(connection);
  connection._getEnhancedStatusCode = (code, context) =>
    typeof context === 'string' && /^[245]\./.test(context) ? context : enhancedFor(code, context);
  connection.send = (code, data, context) => {
    const match = typeof data === 'string' && context !== false ? ENHANCED.exec(data) : null;
    if (match === null) return send(code, data, context);
    return send(code, match[2], connection._getEnhancedStatusCode(code, context) === '' ? false : match[1]);
  };
  connection.init = () => {
    connection._setListeners(() => {
      const limit = connection._server.options.maxClients;
      if (limit && connection._server.connections.size > limit) {
        connection.send(421, `${connection.name} Too many connected clients, try again in a moment`, false);
        return;
      }
      if (delayMs <= 0) return connection.connectionReady();
      setTimeout(() => connection.connectionReady(), delayMs).unref();
    });
  };
}
