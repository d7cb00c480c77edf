import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import {
  type BodyInit,
  createRequest,
  type HeadersInit,
  isSuccess,
  type ListenContext,
  type Method,
  maskSecrets,
  normalizePath,
  ParleyError,
  type Principal,
  type Response,
} from '@parley/core';
import { type FtpReplyKind, ftpReply } from '../status-map.js';
import { plainAddress } from './addresses.js';
import { COMMANDS } from './commands/index.js';
import type { DataRegistry } from './data-channel.js';
import { FtpFailure, failureReply, isInternal, readMessage } from './failure.js';
import { LineReader } from './line-reader.js';
import type { MlstFact } from './listing-format.js';
import type { ResolvedServerOptions } from './options.js';
import type { ReadBudget } from './read-budget.js';
import { reportFailure } from './report-failure.js';
import { Transfers } from './transfers.js';

/** What every session of one listener shares. */
export interface SessionShared {
  /** The resolved options. */
  readonly options: ResolvedServerOptions;
  /** The server's handler and hooks. */
  readonly context: ListenContext;
  /** Open data-connection resources. */
  readonly registry: DataRegistry;
  /** The TLS context for `AUTH TLS` and `PROT P`, when configured. */
  readonly secureContext: SecureContext | undefined;
  /** Aborts when the listener's close deadline passes: everything is cut off. */
  readonly cutOff: AbortSignal;
  /** True once the listener stops accepting: new requests get 421. */
  readonly draining: () => boolean;
  /** Sizes the read buffers of the files downloads send. */
  readonly readBudget: ReadBudget;
}

const MAX_QUEUED_COMMANDS = 32;
/**
 * The reason `controlEnd` aborts with: only whether it aborted is ever read, and an abort
 * without a reason would make a `DOMException` (with its stack) for every session.
 */
const CONTROL_ENDED = new ParleyError('cancelled', 'The control connection ended');
const SHUTDOWN_GRACE_MS = 50;

/** One FTP control connection: its login, working directory, data channel and command queue. */
export class Session {
  readonly shared: SessionShared;
  readonly address: string;
  readonly localAddress: string;
  control: Socket;
  user: string | undefined;
  principal: Principal | undefined;
  loggedIn = false;
  failedLogins = 0;
  /** The working directory, always ending in `/`. */
  cwd = '/';
  rest = 0;
  renameFrom: { path: string; at: number } | undefined;
  commandCount = 0;
  tlsActive = false;
  protectionBufferSet = false;
  protectData = false;
  epsvAll = false;
  /** `TYPE A`: transfers turn line ends into CRLF on the wire and back (RFC 959 ASCII). */
  asciiType = false;
  mlstFacts: readonly MlstFact[] = ['type', 'size', 'modify'];
  #loginTimer: NodeJS.Timeout | undefined;
  readonly #lifetime = new AbortController();
  readonly #queue: string[] = [];
  readonly #reader: LineReader;
  #running = false;
  #closed = false;
  /** Aborts when the client ends the control connection (or it is gone). */
  readonly #controlEnd = new AbortController();
  #quitting = false;
  #onClosed: () => void = () => {};
  /** Resolves once the control connection is closed and everything released. */
  readonly closed: Promise<void>;
  /** The data channel and the transfer under way. */
  readonly transfers: Transfers;

  constructor(socket: Socket, shared: SessionShared) {
    this.shared = shared;
    this.control = socket;
    this.address = plainAddress(socket.remoteAddress);
    this.localAddress = plainAddress(socket.localAddress);
    this.closed = new Promise<void>((resolve) => {
      this.#onClosed = resolve;
    });
    this.#reader = new LineReader(
      shared.options.maxCommandLength,
      (line) => this.#enqueue(line),
      () => this.#tooLong(),
    );
    this.transfers = new Transfers({
      reply: (code, text) => this.reply(code, text),
      endControl: () => this.control.end(),
      isClosed: () => this.#closed || this.control.destroyed,
      mustProtect: () => shared.options.requireTls && !this.protectData,
      signal: this.#lifetime.signal,
      controlEnd: this.#controlEnd.signal,
      uploadConfirmMs: shared.options.uploadConfirmMs,
      report: (error) => this.report(error, 'transfer'),
    });
    this.#attach(socket);
    socket.setTimeout(shared.options.idleTimeoutMs);
    this.#loginTimer = setTimeout(() => this.#loginExpired(), shared.options.loginTimeoutMs);
    this.#loginTimer.unref();
    this.reply(220, shared.options.greeting);
  }

  /** Aborts when the control connection closes or the listener cuts everything off. */
  get signal(): AbortSignal {
    return this.#lifetime.signal;
  }

  // ---- replies -------------------------------------------------------------------------

  /** Sends a one-line reply. */
  reply(code: number, text: string): void {
    if (this.#closed || this.control.destroyed) return;
    const line = `${code} ${printable(text)}`;
    this.#trace('send', line);
    this.control.write(`${line}\r\n`);
  }

  /** Sends a multi-line reply: `code-first`, ` middle` lines, `code last`. */
  replyLines(code: number, first: string, lines: readonly string[], last: string): void {
    if (this.#closed || this.control.destroyed) return;
    let text = `${code}-${printable(first)}\r\n`;
    for (const line of lines) text += ` ${printable(line)}\r\n`;
    this.#trace('send', `${code}-${printable(first)} (${lines.length + 1} more lines)`);
    this.control.write(`${text}${code} ${printable(last)}\r\n`);
  }

  /** Replies with the reply of a status for a command of `kind`. */
  replyStatus(response: Response, kind: FtpReplyKind, text: string, path?: string): void {
    const reply = ftpReply(response.status, kind, text, path);
    this.reply(reply.code, reply.text);
  }

  /** Replies to a failed response with its status's code and the start of its body as text. */
  async replyFailure(response: Response, kind: FtpReplyKind): Promise<void> {
    const failure = await this.failureOf(response, kind);
    this.reply(failure.code, failure.message);
  }

  /** The failure to throw for a failed response: its status's code, its body's start as text. */
  async failureOf(response: Response, kind: FtpReplyKind): Promise<FtpFailure> {
    const message = await readMessage(response.body, (error) =>
      this.report(error, 'reading a failed response'),
    );
    const reply = ftpReply(response.status, kind, message);
    return new FtpFailure(reply.code, reply.text);
  }

  /** Replies to a response: success text on success, the failure's message otherwise. */
  async replyResponse(response: Response, kind: FtpReplyKind, success: string, path?: string): Promise<void> {
    if (isSuccess(response.status)) {
      await response.body.cancel();
      this.replyStatus(response, kind, success, path);
    } else {
      await this.replyFailure(response, kind);
    }
  }

  /** Records an accepted login: the session may run every command; the login deadline ends. */
  logIn(principal: Principal | undefined): void {
    this.loggedIn = true;
    this.principal = principal;
    this.failedLogins = 0;
    clearTimeout(this.#loginTimer);
  }

  // ---- requests ------------------------------------------------------------------------

  /** Sends a request to the handler on behalf of this session's user. */
  request(
    method: Method,
    path: string,
    init: {
      headers?: HeadersInit | undefined;
      body?: BodyInit | undefined;
      signal?: AbortSignal | undefined;
    } = {},
  ): Promise<Response> {
    if (this.shared.draining()) throw new FtpFailure(421, 'Service unavailable: the server is shutting down');
    const request = createRequest({
      method,
      path,
      // FTP has no query part: a `?` is part of a name (`STOR what?.txt`).
      query: '',
      headers: init.headers,
      body: init.body,
      signal: init.signal ?? this.signal,
      peer: { protocol: 'ftp', address: this.address, principal: this.principal },
    });
    return this.shared.context.handle(request);
  }

  /** Resolves a path argument against the working directory; it never leaves the root. */
  resolve(arg: string): string {
    const raw = arg.replaceAll('\\', '/');
    return normalizePath(raw.startsWith('/') ? raw : `${this.cwd}${raw}`);
  }

  /** A file path (no trailing `/`); the root is refused with 550. */
  filePath(arg: string): string {
    const path = this.resolve(arg);
    const file = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
    if (file === '/') throw new FtpFailure(550, 'Not a file: /');
    return file;
  }

  /** A collection path (ending in `/`). */
  directoryPath(arg: string): string {
    const path = this.resolve(arg === '' ? '.' : arg);
    return path.endsWith('/') ? path : `${path}/`;
  }

  /** Reports a failure no reply can carry as it is (see {@link reportFailure}). */
  report(error: unknown, command: string): void {
    reportFailure(this.shared.context, error, { protocol: 'ftp', address: this.address, command });
  }

  // ---- TLS -----------------------------------------------------------------------------

  /** `AUTH TLS`: replies 234 and upgrades the control connection, dropping anything queued. */
  upgradeControl(secureContext: SecureContext): void {
    const plain = this.control;
    this.#detach(plain);
    plain.pause();
    this.#reader.clear();
    this.#queue.length = 0;
    plain.write('234 AUTH TLS successful\r\n', () => {
      if (this.#closed) return;
      const secured = new TLSSocket(plain, { isServer: true, secureContext });
      this.control = secured;
      this.tlsActive = true;
      this.#attach(secured);
      secured.setTimeout(this.shared.options.idleTimeoutMs);
      plain.on('error', () => {});
      plain.on('close', () => secured.destroy());
    });
  }

  // ---- lifecycle -----------------------------------------------------------------------

  /** `QUIT`: says goodbye once the command queue reaches it, then closes. */
  quit(): void {
    this.#quitting = true;
    this.reply(221, 'Goodbye');
    this.control.end();
  }

  /** Sends 421 and ends the control connection once no transfer is running. */
  async shutdown(text = 'Service unavailable: the server is shutting down'): Promise<void> {
    if (this.transfers.running) {
      await this.transfers.drained(this.signal);
      // Give the client a moment to take in the transfer's last reply before the 421.
      await Promise.race([new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS)), this.closed]);
    }
    if (this.#closed) return;
    this.reply(421, text);
    this.control.end();
    const timer = setTimeout(() => this.destroy(), 1000);
    timer.unref();
  }

  /** Destroys the control connection and everything the session holds. */
  destroy(): void {
    this.control.destroy();
    this.#release();
  }

  #attach(socket: Socket): void {
    socket.on('data', this.#onData);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
    socket.on('timeout', this.#onTimeout);
    socket.on('end', this.#onEnd);
    socket.setNoDelay(true);
  }

  #detach(socket: Socket): void {
    socket.off('data', this.#onData);
    socket.off('error', this.#onError);
    socket.off('close', this.#onClose);
    socket.off('timeout', this.#onTimeout);
    socket.off('end', this.#onEnd);
  }

  readonly #onData = (chunk: Buffer): void => this.#reader.push(chunk);
  readonly #onError = (): void => this.destroy();
  readonly #onClose = (): void => this.#release();
  readonly #onEnd = (): void => this.#controlEnd.abort(CONTROL_ENDED);
  readonly #onTimeout = (): void => {
    if (this.transfers.running) return;
    const seconds = Math.round(this.shared.options.idleTimeoutMs / 1000);
    this.#closeWith(421, `Timed out: no command for ${seconds} s, closing the connection`);
  };

  #loginExpired(): void {
    if (this.loggedIn) return;
    const seconds = Math.round(this.shared.options.loginTimeoutMs / 1000);
    this.#closeWith(421, `Timed out: no login within ${seconds} s, closing the connection`);
  }

  /** Sends a last reply, ends the control connection and destroys it if the client lingers. */
  #closeWith(code: number, text: string): void {
    this.reply(code, text);
    this.control.end();
    setTimeout(() => this.destroy(), 1000).unref();
  }

  #release(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#loginTimer);
    this.#reader.stop();
    this.#queue.length = 0;
    this.#lifetime.abort(new ParleyError('cancelled', 'The control connection closed'));
    this.#controlEnd.abort(CONTROL_ENDED);
    this.transfers.prepare(undefined);
    this.control.destroy();
    this.#onClosed();
  }

  #tooLong(): void {
    this.#closeWith(
      500,
      `Command line too long (over ${this.shared.options.maxCommandLength} bytes), closing`,
    );
  }

  // ---- commands ------------------------------------------------------------------------

  /** Sends a control line to the server's trace, when it traces (the password masked). */
  #trace(direction: 'send' | 'receive', line: string): void {
    const trace = this.shared.context.trace;
    if (trace === undefined) return;
    trace({
      protocol: 'ftp',
      side: 'server',
      direction,
      summary: maskSecrets(line),
      bytes: Buffer.byteLength(line) + 2,
      connection: this.address,
    });
  }

  #enqueue(line: string): void {
    this.#trace('receive', line);
    if (this.#quitting) return;
    const verb = commandVerb(line);
    if (verb === 'ABOR' && this.transfers.abort()) return;
    // `STAT` without an argument during a transfer is answered at once, as `ABOR` is (unless
    // commands wait before it: their replies come first).
    const statusNow = verb === 'STAT' && line.slice(4).trim() === '' && this.#queue.length === 0;
    const status = statusNow ? this.transfers.status() : undefined;
    if (status !== undefined) {
      this.reply(213, status);
      return;
    }
    this.#queue.push(line);
    if (this.#queue.length >= MAX_QUEUED_COMMANDS) this.control.pause();
    if (!this.#running) void this.#pump();
  }

  async #pump(): Promise<void> {
    this.#running = true;
    try {
      for (let line = this.#queue.shift(); line !== undefined; line = this.#queue.shift()) {
        // A client that does not read its replies gets no more until it does: the queue fills
        // and reading pauses, so memory stays bounded however many commands it sends.
        if (this.control.writableNeedDrain) await this.#drained();
        if (this.#closed) break;
        if (this.#queue.length < MAX_QUEUED_COMMANDS / 2 && this.control.isPaused()) this.control.resume();
        await this.#execute(line);
        if (this.#closed) break;
      }
    } finally {
      this.#running = false;
    }
  }

  /** Resolves once the control connection has sent its queued replies, or closed. */
  #drained(): Promise<void> {
    const control = this.control;
    return new Promise((resolve) => {
      const done = (): void => {
        control.off('drain', done);
        control.off('close', done);
        resolve();
      };
      control.on('drain', done);
      control.on('close', done);
    });
  }

  async #execute(line: string): Promise<void> {
    this.commandCount++;
    const verb = commandVerb(line);
    const arg = line.slice(verb.length + 1);
    const command = COMMANDS[verb];
    if (command === undefined)
      return this.reply(verb === '' ? 500 : 502, `Command not understood${echoedVerb(verb)}`);
    if (!command.public && !this.loggedIn) return this.reply(530, 'Please log in with USER and PASS first');
    if (command.needsArg === true && arg.trim() === '') return this.reply(501, `${verb} needs an argument`);
    try {
      await command.run(this, arg);
    } catch (error) {
      if (isInternal(error)) this.report(error, verb);
      const reply = failureReply(error, command.kind ?? 'command');
      this.reply(reply.code, reply.text);
      if (reply.code === 421) this.control.end();
    }
  }
}

/** The verb of a command line, upper-cased (`retr file` gives `RETR`). */
export function commandVerb(line: string): string {
  const space = line.indexOf(' ');
  return (space === -1 ? line : line.slice(0, space)).trim().toUpperCase();
}

/** Line breaks in a reply text. */
const LINE_BREAKS = /[\r\n]+/g;
/** The other C0 and C1 control characters, and DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A reply text as one printable line: line breaks (which would start a reply of their own)
 * become a space, other control characters (an escape sequence acting on the terminal that
 * shows the reply, a NUL) a `?`.
 */
function printable(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROLS, '?');
}

/**
 * The unknown verb a `502` names: an FTP verb is one to four letters; anything longer (a
 * password run into `PASS` by a tab or a typo) is not echoed into the reply and the trace.
 */
function echoedVerb(verb: string): string {
  return /^[A-Z]{1,4}$/.test(verb) ? `: ${verb}` : '';
}
