import type { Socket } from 'node:net';

/** The buffer a connection reads into outside a lent body, handed on with a read that fills half of it. */
const SMALL_READ_BYTES = 64 * 1024;

/** The buffer a connection reads a lent body into, reused from read to read. */
const LENT_READ_BYTES = 1024 * 1024;

/**
 * What the exchange did with the bytes of the read being parsed, reported by the answer handler
 * (see {@link noteLent}, {@link noteKept}, {@link noteOther}) while {@link READS} has undici parse
 * a read.
 */
let lastLent = false;
let kept = false;

/** The buffer the next read goes to, as the last read chose it; a new small one when undefined. */
let next: Buffer | undefined;

/** The connections whose last read ended inside a lent body (their next read is expected to as well). */
const lending = new WeakSet<Socket>();

/** What {@link READS} uses of undici's HTTP/1.1 parser of a connection. */
interface Parser {
  /** Set while the parser waits for its reader (its unparsed bytes then wait in the socket). */
  readonly paused: boolean;
  /** The parser's memory; null once it is freed. */
  readonly ptr: number | null;
  /** Parses a read, handing its body's chunks on before returning. */
  execute(chunk: Buffer): void;
}

/** The key undici keeps a connection's parser under, once undici is loaded (see {@link parseReadsWith}). */
let parserKey: symbol | undefined;

/**
 * Tells {@link READS} where undici keeps a connection's parser, so that a read in the middle of a
 * lent body goes to it directly (see {@link READS}).
 */
export function parseReadsWith(key: symbol): void {
  parserKey = key;
}

/** The connection's parser when it can take a read now: nothing waits before it and it runs. */
function readyParser(socket: Socket): Parser | undefined {
  if (parserKey === undefined || socket.readableLength > 0) return undefined;
  // undici sets it to null once the connection is upgraded or closed.
  const parser = (socket as unknown as Record<symbol, Parser | null | undefined>)[parserKey];
  if (parser === undefined || parser === null) return undefined;
  return !parser.paused && parser.ptr !== null ? parser : undefined;
}

/** A chunk of the read being parsed went to a reader that borrowed it and is done with it. */
export function noteLent(): void {
  lastLent = true;
}

/** A chunk of the read being parsed was kept (queued in a stream, gathered): its memory is not free. */
export function noteKept(): void {
  lastLent = false;
  kept = true;
}

/** The read being parsed held something else after its last lent chunk (a head, a body's end). */
export function noteOther(): void {
  lastLent = false;
}

/**
 * Node.js's `onread` for undici's plain (not TLS) connections: each read lands in a buffer the
 * connection owns and undici parses it before the call returns, so the same buffer can take the
 * next read when nothing kept any of it. That is the case while a reader borrows the body's
 * chunks (`Body.lend`) and writes each before returning: a download to a file then reads into one
 * 1 MiB buffer, with no allocation, page faults or collections per read. Otherwise each read
 * that fills half its buffer is handed on in it and the next read gets a new one (as Node.js's
 * own reads do); a smaller read is copied out, so that it holds no more memory than its size.
 * undici keeps views of a read it has not finished with (a head cut between two reads, the rest
 * of a read while its parser is paused), so a buffer is reused only when the read ended inside a
 * lent body and the socket holds nothing: after the end of a body (which may be followed by the
 * start of the next head) the next read goes to a new buffer.
 *
 * A read that follows one inside a lent body, with nothing waiting in the socket, goes straight
 * to undici's parser, as the socket's `'readable'` event would take it there: without the
 * socket's queue, its `read()` and the two ticks each push schedules (about a tenth of the CPU
 * of a 1 GiB download).
 */
export const READS = {
  buffer(): Buffer {
    const chosen = next;
    next = undefined;
    return chosen ?? Buffer.allocUnsafeSlow(SMALL_READ_BYTES);
  },
  callback(this: Socket, bytes: number, buffer: Buffer): boolean {
    const copied = !lending.has(this) && bytes < buffer.byteLength / 2;
    lastLent = false;
    kept = false;
    const parser = lending.has(this) ? readyParser(this) : undefined;
    if (parser !== undefined) {
      parser.execute(buffer.subarray(0, bytes));
    } else {
      this.push(copied ? Buffer.from(buffer.subarray(0, bytes)) : buffer.subarray(0, bytes));
      // undici parses on 'readable': now, while the read is in `buffer`.
      this.emit('readable');
    }
    const free = lastLent && !kept && this.readableLength === 0;
    if (free) lending.add(this);
    else lending.delete(this);
    if (free) next = buffer.byteLength === LENT_READ_BYTES ? buffer : Buffer.allocUnsafeSlow(LENT_READ_BYTES);
    else next = copied ? buffer : undefined;
    return this.readableLength < this.readableHighWaterMark;
  },
};
