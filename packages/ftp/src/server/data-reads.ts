import { Socket, type SocketConstructorOpts, type TcpNetConnectOpts, connect as tcpConnect } from 'node:net';

/** Size of each newly allocated buffer a read is handed on in (Node.js's own read size). */
const OWNED_READ_BYTES = 64 * 1024;
/**
 * Size of the buffer reads are lent from. A read takes what the socket holds, up to this: at
 * 256 KiB an upload over loopback makes less than half the reads (and its handler less than half
 * the writes) it makes at 64 KiB, which is most of the CPU an upload costs.
 */
const LENT_READ_BYTES = 256 * 1024;
/**
 * The one buffer every lending data connection of the process reads into. A lent read is handed
 * on and consumed before the event loop makes any other read, so connections can share it: the
 * memory of lent reads stays 256 KiB however many uploads run at once.
 */
let sharedLent: Buffer | undefined;

/** The shared buffer of lent reads, made at the first lending upload. */
function lentBuffer(): Buffer {
  sharedLent ??= Buffer.allocUnsafeSlow(LENT_READ_BYTES);
  return sharedLent;
}

/**
 * Size of a data connection's first read buffer. Most data connections are downloads, which
 * never read: they should not cost a full buffer each.
 */
const FIRST_READ_BYTES = 1024;

/** Receives one read of a data connection. Returning `false` pauses the connection. */
export type DataReader = (chunk: Buffer) => boolean | undefined;

/**
 * Where the reads of a plain data connection go. Its socket reads with Node.js's `onread`, so
 * the reader chooses the memory: newly allocated buffers it owns ({@link DataReads.own}), or
 * one reused buffer, shared by all connections, lent for the duration of each call
 * ({@link DataReads.lend}), which costs no allocation, page faults or collection per read. The socket starts paused; until a reader is
 * set, whatever arrives is dropped.
 */
export class DataReads {
  #reader: DataReader | undefined;
  #lent: Buffer | undefined;
  #first = true;

  /** Hands every later read to `reader` in a newly allocated buffer it may keep. */
  own(reader: DataReader): void {
    this.#reader = reader;
    this.#lent = undefined;
  }

  /** Hands every later read to `reader` from one reused buffer, valid only during the call. */
  lend(reader: DataReader): void {
    this.#reader = reader;
    this.#lent = lentBuffer();
  }

  /** The buffer the next read goes into (Node.js's `onread.buffer`). */
  readonly buffer = (): Buffer => {
    if (this.#first) {
      this.#first = false;
      return Buffer.allocUnsafeSlow(FIRST_READ_BYTES);
    }
    return this.#lent ?? Buffer.allocUnsafeSlow(OWNED_READ_BYTES);
  };

  /** Hands one read to the reader (Node.js's `onread.callback`). */
  readonly callback = (bytes: number, buffer: Uint8Array): boolean => {
    const reader = this.#reader;
    if (reader === undefined) return true;
    return reader((buffer as Buffer).subarray(0, bytes)) !== false;
  };
}

const readsOf = new WeakMap<Socket, DataReads>();

/** The reads of a data socket made by this module; `undefined` for any other socket (TLS). */
export function dataReadsOf(socket: Socket): DataReads | undefined {
  return readsOf.get(socket);
}

/** Options of the sockets made here. */
export interface DataSocketOptions {
  /** Write buffer size of the socket (`writableHighWaterMark`). */
  readonly highWaterMark: number;
}

/**
 * Takes over a connection a `net.Server` accepted with `pauseOnConnect` (nothing read yet) as a
 * paused socket whose reads go through {@link DataReads}. Node.js lets only sockets it is asked
 * to make read with `onread`, so the accepted socket's handle moves to a new socket, and the
 * old one, left without it, is destroyed.
 */
export function adoptDataSocket(accepted: Socket, options: DataSocketOptions): Socket {
  const owner = accepted as unknown as { _handle: unknown };
  const handle = owner._handle;
  owner._handle = null;
  accepted.destroy();
  const reads = new DataReads();
  const socketOptions = {
    handle,
    onread: reads,
    pauseOnCreate: true,
    readable: true,
    writable: true,
    writableHighWaterMark: options.highWaterMark,
  } as SocketConstructorOpts;
  const socket = new Socket(socketOptions);
  readsOf.set(socket, reads);
  return socket;
}

/** Opens a connection whose reads go through {@link DataReads}, paused until a reader resumes it. */
export function connectDataSocket(target: TcpNetConnectOpts, options: DataSocketOptions): Socket {
  const reads = new DataReads();
  // The options reach the socket's constructor, which takes a write buffer size too.
  const socketOptions = { ...target, onread: reads, writableHighWaterMark: options.highWaterMark };
  const socket = tcpConnect(socketOptions as TcpNetConnectOpts);
  socket.pause();
  readsOf.set(socket, reads);
  return socket;
}
