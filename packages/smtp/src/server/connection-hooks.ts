import type { Socket } from 'node:net';
import { ConnectionGate, type GateRefusal } from '@parley/core/transport';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { MessageDataParser } from './data-parser.js';
import { enhancedCodeEnd, startsEnhanced } from './enhanced-code.js';
import { replyLine, scrubReplyText } from './reply-line.js';
import { ReplyLineCache } from './reply-line-cache.js';

/** How long a refused connection may stay open after its 421, in ms. */
const REFUSED_LINGER_MS = 2000;

/** The connection settings of a {@link ParleySmtpServer}. */
export interface ConnectionSettings {
  /** Wait before the greeting, in ms. */
  readonly greetingDelayMs: number;
  /** Time from the connection to its first accepted MAIL FROM, in ms (0: no limit). */
  readonly firstMailTimeoutMs: number;
  /** Connections open at once, in total and per address. */
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  /** Receives an error of a refused connection's socket other than the client going away. */
  readonly onRefusedSocketError: (error: NodeJS.ErrnoException, address: string | undefined) => void;
}

/** The reply lines of every connection: the library's texts are the same for each. */
const REPLY_LINES = new ReplyLineCache();

/** Socket errors that only mean the client went away: not worth reporting for a refused connection. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * An `smtp-server` connection that (1) greets after a configurable delay instead of the fixed
 * 100 ms, (2) sends the enhanced status code a reply text starts with (`5.7.1 ...`) instead
 * of the one the library would pick from the basic code, (3) is closed with `421 4.4.2` when
 * it has not started a mail transaction within `firstMailTimeoutMs`, (4) refuses AUTH on a
 * clear connection before any credentials are sent, unless `allowInsecureAuth`, and (5) reads
 * its input with a {@link MessageDataParser}.
 */
class ParleySmtpConnection extends SMTPConnection {
  readonly #settings: ConnectionSettings;
  /** Whether the server has a logger (without one, `smtp-server` logs to a no-op). */
  readonly #logs: boolean;

  constructor(
    server: SMTPServer,
    socket: Socket,
    options: ConstructorParameters<typeof SMTPConnection>[2],
    settings: ConnectionSettings,
  ) {
    super(server, socket, options);
    this.#settings = settings;
    this.#logs = Boolean(server.options.logger);
  }

  /**
   * The connection's input parser: `smtp-server`'s own, with its data mode searched natively
   * (see {@link MessageDataParser}). Called by the library's constructor, so it reads no field
   * of this class.
   */
  override _createParser(): MessageDataParser {
    const parser = new MessageDataParser({ maxCommandLength: this._server.options.maxCommandLength });
    parser.oncommand = (command, callback) => this._onCommand(command, callback);
    // Sent on the clear socket too while a STARTTLS handshake runs: send() then only closes.
    parser.on('error', (error: Error) => this.send(421, `Error: ${error.message}`));
    return parser;
  }

  override init(): void {
    this._setListeners(() => {
      const delay = this.#settings.greetingDelayMs;
      if (delay <= 0) this.connectionReady();
      else setTimeout(() => this.connectionReady(), delay).unref();
    });
    const timeout = this.#settings.firstMailTimeoutMs;
    if (timeout <= 0) return;
    const timer = setTimeout(() => this.#checkStarted(), timeout).unref();
    // A closed connection is not kept in memory until its deadline.
    this._socket.once('close', () => clearTimeout(timer));
  }

  /** Closes the connection if it has not started a transaction yet. */
  #checkStarted(): void {
    if (this._transactionCounter > 0 || this.session?.envelope?.mailFrom) return;
    if (this._socket.destroyed) return;
    this.send(421, '4.4.2 No mail transaction started in time, closing');
  }

  /**
   * AUTH on a clear connection without `allowInsecureAuth` is refused at once: `smtp-server`
   * refuses it only when it can offer STARTTLS, and otherwise asks an AUTH LOGIN client for its
   * password (sent in clear text) before the refusal.
   */
  override handler_AUTH(command: Buffer, callback: () => void): void {
    if (!this.secure && !this._server.options.allowInsecureAuth) {
      this.send(538, '5.7.11 Encryption required: use STARTTLS first');
      callback();
      return;
    }
    super.handler_AUTH(command, callback);
  }

  override _getEnhancedStatusCode(code: number, context?: string | false): string {
    return typeof context === 'string' && startsEnhanced(context)
      ? context
      : super._getEnhancedStatusCode(code, context);
  }

  /**
   * Sends a reply. A text that starts with an enhanced status code (`2.0.0 OK <id>`) is sent with
   * that code instead of the library's. A single-line reply is written here in one pass (the
   * same line `smtp-server` would write, see {@link replyLine}), and logged only when the server
   * has a logger; multi-line replies, AUTH challenges and `421` (which also closes) go through
   * the library.
   */
  override send(code: number, data?: string | string[] | null, context?: string | false): void {
    if (typeof data !== 'string' || code === 334 || code === 421) {
      this.#sendThroughLibrary(code, data, context);
      return;
    }
    const end = context === false ? -1 : enhancedCodeEnd(data);
    const libraryCode = this._getEnhancedStatusCode(code, context);
    if (end === -1) this.#sendLine(code, libraryCode, data, false);
    else if (libraryCode !== '' && end + 1 < data.length) {
      // The text's own code, its space and the rest are the line replyLine would join from them.
      const line = `${code} ${scrubReplyText(data)}`;
      this.#writeLine(code, line, `${line}\r\n`);
    } else this.#sendLine(code, libraryCode === '' ? '' : data.slice(0, end), data.slice(end + 1), true);
  }

  /** `SMTPConnection.send`, with the enhanced status code a text starts with taken out of the text. */
  #sendThroughLibrary(code: number, data?: string | string[] | null, context?: string | false): void {
    const end = typeof data === 'string' && context !== false ? enhancedCodeEnd(data) : -1;
    if (end === -1) {
      super.send(code, data, context);
      return;
    }
    const text = data as string;
    const enhanced = this._getEnhancedStatusCode(code, context) === '' ? false : text.slice(0, end);
    super.send(code, text.slice(end + 1), enhanced);
  }

  /**
   * Writes one reply line, as `SMTPConnection.send` does for a single-line reply other than 334
   * and 421. A text the library sends (no enhanced code of its own, `own` false) is one of a
   * few, and its line is taken from {@link REPLY_LINES}; a text of Parley's is made once.
   */
  #sendLine(code: number, enhanced: string, text: string, own: boolean): void {
    let line: string;
    let wire: string;
    if (own) {
      line = replyLine(code, enhanced, text);
      wire = `${line}\r\n`;
    } else {
      const cached = REPLY_LINES.of(code, enhanced, text);
      line = cached.line;
      wire = cached.wire;
    }
    this.#writeLine(code, line, wire);
  }

  /** Writes a reply `line` as `wire` (with its CRLF), logged only when the server has a logger. */
  #writeLine(code: number, line: string, wire: string): void {
    if (code >= 400) this.session.error = line;
    const socket = this._socket;
    if (this._upgrading || socket === undefined || socket.destroyed || socket.readyState !== 'open') return;
    socket.write(wire);
    if (this.#logs) {
      const user = this.session.user as { username?: string } | null | undefined;
      this._server.logger.debug({ tnx: 'send', cid: this.id, user: user?.username || user }, 'S:', line);
    }
  }
}

/**
 * An `smtp-server` whose connections are {@link ParleySmtpConnection}s, admitted by a
 * {@link ConnectionGate}: past the total or per-address cap a connection gets `421 4.7.0` and
 * is closed before any session starts.
 */
export class ParleySmtpServer extends SMTPServer {
  readonly #settings: ConnectionSettings;
  readonly #gate: ConnectionGate;
  /**
   * The sockets of admitted connections until they close, including those `smtp-server` has
   * closed on its side (QUIT, a `421`) and no longer lists in `connections`: it waits up to 5 s
   * for the client to close such a socket.
   */
  readonly sockets = new Set<Socket>();

  constructor(options: SMTPServerOptions, settings: ConnectionSettings) {
    super(options);
    this.#settings = settings;
    this.#gate = new ConnectionGate(settings);
  }

  override connect(socket: Socket, socketOptions?: ConstructorParameters<typeof SMTPConnection>[2]): void {
    const release = this.#gate.admit(socket.remoteAddress);
    if (typeof release === 'string') {
      refuse(socket, release, this.#settings.onRefusedSocketError);
      return;
    }
    socket.once('close', release);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.setNoDelay(true);
    const connection = new ParleySmtpConnection(this, socket, socketOptions, this.#settings);
    this.connections.add(connection);
    connection.on('error', (error: Error) => this._onError(error));
    connection.on('connect', (data: Parameters<SMTPServer['_onClientConnect']>[0]) =>
      this._onClientConnect(data),
    );
    connection.init();
  }
}

/** Answers a connection past a cap with 421 4.7.0 and closes it. */
function refuse(socket: Socket, why: GateRefusal, onError: ConnectionSettings['onRefusedSocketError']): void {
  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (!CLIENT_GONE.has(error.code ?? '')) onError(error, socket.remoteAddress);
  });
  const text =
    why === 'per_address' ? 'Too many connections from your address' : 'Too many connected clients';
  socket.end(`421 4.7.0 ${text}, try again later\r\n`);
  setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
}
