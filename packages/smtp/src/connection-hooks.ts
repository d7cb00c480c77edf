import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3}) (.*)$/s;

/** Whether a text starts like an enhanced status code (`2.`, `4.` or `5.`). */
function startsEnhanced(text: string): boolean {
  const first = text.charCodeAt(0);
  return text.charCodeAt(1) === 0x2e && (first === 0x32 || first === 0x34 || first === 0x35);
}

/**
 * An `smtp-server` connection that (1) greets after a configurable delay instead of the fixed
 * 100 ms, and (2) sends the enhanced status code a reply text starts with (`5.7.1 ...`)
 * instead of the one the library would pick from the basic code.
 */
class ParleySmtpConnection extends SMTPConnection {
  readonly #greetingDelayMs: number;

  constructor(
    server: SMTPServer,
    socket: Socket,
    options: ConstructorParameters<typeof SMTPConnection>[2],
    greetingDelayMs: number,
  ) {
    super(server, socket, options);
    this.#greetingDelayMs = greetingDelayMs;
  }

  override init(): void {
    this._setListeners(() => {
      const limit = this._server.options.maxClients;
      if (limit && this._server.connections.size > limit) {
        this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
        return;
      }
      if (this.#greetingDelayMs <= 0) return this.connectionReady();
      setTimeout(() => this.connectionReady(), this.#greetingDelayMs).unref();
    });
  }

  override _getEnhancedStatusCode(code: number, context?: string | false): string {
    return typeof context === 'string' && startsEnhanced(context)
      ? context
      : super._getEnhancedStatusCode(code, context);
  }

  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    const match =
      typeof data === 'string' && context !== false && startsEnhanced(data) ? ENHANCED.exec(data) : null;
    if (match === null) {
      super.send(code, data, context);
      return;
    }
    const enhanced = this._getEnhancedStatusCode(code, context) === '' ? false : match[1];
    super.send(code, match[2], enhanced);
  }
}

/** An `smtp-server` whose connections are {@link ParleySmtpConnection}s. */
export class ParleySmtpServer extends SMTPServer {
  readonly #greetingDelayMs: number;

  constructor(options: SMTPServerOptions, greetingDelayMs: number) {
    super(options);
    this.#greetingDelayMs = greetingDelayMs;
  }

  override connect(socket: Socket, socketOptions?: ConstructorParameters<typeof SMTPConnection>[2]): void {
    socket.setNoDelay(true);
    const connection = new ParleySmtpConnection(this, socket, socketOptions, this.#greetingDelayMs);
    this.connections.add(connection);
    connection.on('error', (error: Error) => this._onError(error));
    connection.on('connect', (data: Parameters<SMTPServer['_onClientConnect']>[0]) =>
      this._onClientConnect(data),
    );
    connection.init();
  }
}
