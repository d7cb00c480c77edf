import { randomInt } from 'node:crypto';
import { createServer, isIPv6, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import { ParleyError } from '@parley/core';
import { listenOn } from '@parley/core/transport';
import { type ActiveTarget, sameHost } from './addresses.js';
import { adoptDataSocket, connectDataSocket } from './data-reads.js';
import type { PassivePortRange } from './options.js';

/** Counts the resources data connections hold, for the listener's statistics. */
export interface DataRegistry {
  /** Passive listening sockets open now. */
  readonly passive: Set<PassiveChannel>;
  /** Ports of the passive range in use now. */
  readonly ports: Set<number>;
}

/** How a data connection is made and secured. */
export interface ChannelOptions {
  /** How long the data connection may take to open, in milliseconds. */
  readonly timeoutMs: number;
  /** The TLS context when `PROT P` is in force. */
  readonly tls: SecureContext | undefined;
}

/** A data connection being prepared by `PASV`/`EPSV` or `PORT`/`EPRT`; used for one transfer. */
export interface DataChannel {
  /** Waits for (or makes) the connection; rejects with a ParleyError when it cannot be had. */
  open(signal: AbortSignal): Promise<Socket>;
  /** Releases everything the channel holds. Safe to call more than once. */
  close(): void;
}

const MAX_PORT_TRIES = 64;
/**
 * Buffer size of data sockets: large enough that a source's chunks (64 KiB from a file) queue
 * up behind one another and reach the kernel in large writes, small enough for many transfers.
 */
const DATA_HIGH_WATER_MARK = 256 * 1024;

/** A passive listener accepting exactly one data connection, from the control connection's host. */
export class PassiveChannel implements DataChannel {
  readonly #server: Server;
  readonly #registry: DataRegistry;
  readonly #peer: string;
  readonly #options: ChannelOptions;
  readonly #timer: NodeJS.Timeout;
  #port = 0;
  #socket: Socket | undefined;
  #ready: Promise<Socket> | undefined;
  #failure: ParleyError | undefined;
  #closed = false;
  readonly #waiters = new Set<() => void>();

  private constructor(server: Server, registry: DataRegistry, peer: string, options: ChannelOptions) {
    this.#server = server;
    this.#registry = registry;
    this.#peer = peer;
    this.#options = options;
    server.on('connection', (socket) => this.#accept(socket));
    server.on('error', () => this.#fail(new ParleyError('unavailable', 'The passive listener failed')));
    this.#timer = setTimeout(
      () => this.#fail(new ParleyError('timeout', 'No data connection was opened in time')),
      options.timeoutMs,
    );
    this.#timer.unref();
    registry.passive.add(this);
  }

  /** Opens a listener on `host`, on a random port of `range` (or an ephemeral one). */
  static async listen(
    host: string,
    range: PassivePortRange | undefined,
    peer: string,
    registry: DataRegistry,
    options: ChannelOptions,
  ): Promise<PassiveChannel> {
    // A plain connection is accepted unread, to be taken over by a socket that reads with `onread`.
    const server = createServer({
      noDelay: true,
      highWaterMark: DATA_HIGH_WATER_MARK,
      pauseOnConnect: options.tls === undefined,
    });
    const port = await bindPort(server, host, range, registry.ports);
    const channel = new PassiveChannel(server, registry, peer, options);
    channel.#port = port;
    if (range !== undefined) registry.ports.add(port);
    return channel;
  }

  /** The port the listener is bound to. */
  get port(): number {
    return this.#port;
  }

  open(signal: AbortSignal): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const settle = (): void => {
        this.#waiters.delete(settle);
        signal.removeEventListener('abort', settle);
        if (this.#ready !== undefined && this.#socket !== undefined && !this.#socket.destroyed) {
          this.#ready.then(resolve, reject);
        } else if (signal.aborted) reject(ParleyError.from(signal.reason));
        else reject(this.#failure ?? new ParleyError('unavailable', 'The data connection closed'));
      };
      if (this.#socket !== undefined || this.#closed || signal.aborted) return settle();
      this.#waiters.add(settle);
      signal.addEventListener('abort', settle, { once: true });
    });
  }

  close(): void {
    // The failure is made only when a waiter could still see it: after a transfer the channel
    // has its socket, and a closed channel has its failure already.
    if (this.#socket === undefined && !this.#closed)
      this.#fail(new ParleyError('cancelled', 'The data channel was closed'));
    this.#socket?.destroy();
  }

  #accept(accepted: Socket): void {
    if (this.#socket !== undefined || this.#closed || !sameHost(accepted.remoteAddress, this.#peer)) {
      accepted.destroy();
      return;
    }
    const socket =
      this.#options.tls === undefined
        ? adoptDataSocket(accepted, { highWaterMark: DATA_HIGH_WATER_MARK })
        : accepted;
    this.#socket = socket;
    socket.on('error', () => {});
    guardStall(socket, this.#options.timeoutMs);
    // The TLS handshake starts at once: some clients send it before the transfer command.
    this.#ready = secure(socket, this.#options);
    this.#ready.catch(() => {});
    this.#release();
    for (const waiter of [...this.#waiters]) waiter();
  }

  #fail(failure: ParleyError): void {
    if (this.#failure === undefined && this.#socket === undefined) this.#failure = failure;
    this.#release();
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Stops listening and frees the port (the accepted socket, if any, lives on). */
  #release(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#server.close();
    this.#registry.passive.delete(this);
    this.#registry.ports.delete(this.#port);
  }
}

async function bindPort(
  server: Server,
  host: string,
  range: PassivePortRange | undefined,
  used: Set<number>,
) {
  if (range === undefined) return bind(server, host, 0);
  const size = range.max - range.min + 1;
  for (let attempt = 0; attempt < Math.min(MAX_PORT_TRIES, size * 2); attempt++) {
    const port = range.min + randomInt(size);
    if (used.has(port)) continue;
    try {
      return await bind(server, host, port);
    } catch (error) {
      // An address in use is a `conflict` (listenOn's rule): try another port of the range.
      if (ParleyError.from(error).status !== 'conflict') throw error;
    }
  }
  throw new ParleyError('unavailable', 'No free passive port');
}

/** Binds a passive listener to `host` and `port` (0: any free port) by listenOn's one rule. */
function bind(server: Server, host: string, port: number): Promise<number> {
  return listenOn(server, new URL(`ftp://${isIPv6(host) ? `[${host}]` : host}:${port}`), port);
}

/** An active data connection (`PORT`/`EPRT`), made when the transfer starts. */
export class ActiveChannel implements DataChannel {
  readonly #target: ActiveTarget;
  readonly #localAddress: string | undefined;
  readonly #options: ChannelOptions;
  #socket: Socket | undefined;

  constructor(target: ActiveTarget, localAddress: string | undefined, options: ChannelOptions) {
    this.#target = target;
    this.#localAddress = localAddress;
    this.#options = options;
  }

  open(signal: AbortSignal): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const target = { host: this.#target.host, port: this.#target.port, localAddress: this.#localAddress };
      const socket =
        this.#options.tls === undefined
          ? connectDataSocket(target, { highWaterMark: DATA_HIGH_WATER_MARK })
          : tcpConnect(target);
      this.#socket = socket;
      const timer = setTimeout(
        () => fail(new ParleyError('timeout', 'The data connection timed out')),
        this.#options.timeoutMs,
      );
      const fail = (error: unknown): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(ParleyError.from(error));
      };
      const onAbort = (): void => fail(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.off('error', fail);
        socket.on('error', () => {});
        guardStall(socket, this.#options.timeoutMs);
        secure(socket, this.#options).then(resolve, reject);
      });
    });
  }

  close(): void {
    this.#socket?.destroy();
  }
}

/** Destroys a data socket that moves no byte for `timeoutMs` (its transfer then fails with 426). */
function guardStall(socket: Socket, timeoutMs: number): void {
  socket.setTimeout(timeoutMs, () => {
    socket.destroy(new ParleyError('timeout', `The data connection stalled for ${timeoutMs} ms`));
  });
}

/** Wraps a data socket in TLS when `PROT P` is in force, waiting for the handshake. */
function secure(socket: Socket, options: ChannelOptions): Promise<Socket> {
  if (options.tls === undefined) return Promise.resolve(socket);
  return new Promise<Socket>((resolve, reject) => {
    const secured = new TLSSocket(socket, { isServer: true, secureContext: options.tls });
    const timer = setTimeout(
      () => fail(new ParleyError('timeout', 'The TLS handshake timed out')),
      options.timeoutMs,
    );
    const fail = (error: unknown): void => {
      clearTimeout(timer);
      secured.destroy();
      socket.destroy();
      reject(ParleyError.from(error));
    };
    secured.once('error', (error) => fail(handshakeFailure(error)));
    secured.once('secure', () => {
      clearTimeout(timer);
      secured.off('error', fail);
      secured.on('error', () => {});
      resolve(secured);
    });
  });
}

/**
 * A failed TLS handshake on a data connection as a short reply text: its error code, never
 * OpenSSL's own message (an internal record, with source paths, that tells a client nothing).
 */
function handshakeFailure(error: unknown): ParleyError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason = typeof code === 'string' ? ` (${code})` : '';
  return new ParleyError(
    'unavailable',
    `The TLS handshake of the data connection failed${reason}: with PROT P it must use TLS`,
    { cause: error },
  );
}
