import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A request waiting for its turn on its connection. */
interface Turn {
  readonly safe: boolean;
  readonly res: ServerResponse;
  readonly start: () => void;
}

/**
 * The most safe requests of one connection that run at once while earlier responses on it are
 * unfinished: each holds its response body (a chunk of it, for a streamed one) until its turn
 * to be written, so a client pipelining many GETs and reading nothing would otherwise make the
 * server hold them all.
 */
const MAX_OVERLAPPING = 8;

/**
 * The most requests of one connection that wait for their turn before the server stops reading
 * it: each waiting request is a parsed request and its response object, and a client pipelining
 * requests without reading the answers would otherwise have the server parse (and hold) every
 * one it sends. Reading resumes once fewer wait.
 */
const MAX_WAITING = 32;

/**
 * The connection state `node:http` keeps on its socket: `_paused` stops it reading (and parsing)
 * until the socket's `drain` handler, which resumes it unless responses wait unsent.
 */
type HttpSocket = Socket & { _paused?: boolean };

/**
 * What one connection holds back: whether an unsafe request runs, how many safe requests run
 * behind an unfinished response, and the requests waiting behind them in arrival order. Made the
 * first time one of those is the case, then kept with the connection: a client pipelining its
 * requests comes back to it with every batch.
 */
class ConnectionOrder {
  unsafeRunning = false;
  /** Whether the first waiting request (unsafe) waits for the earlier responses to finish. */
  awaitingSocket = false;
  /** Whether reading the connection was stopped (last) because {@link MAX_WAITING} requests wait. */
  stoppedReading = false;
  /** Safe requests started while an earlier response was unfinished, not over yet. */
  overlapping = 0;
  readonly waiting: Turn[] = [];
  /** Listens for the `close` of each safe response counted in {@link overlapping} (one function for all of them). */
  readonly overlapEnded: () => void;
  /** Listens for the `close` of the unsafe response running. */
  readonly unsafeEnded: () => void;

  constructor(socket: Socket) {
    this.overlapEnded = () => {
      this.overlapping--;
      advance(socket, this);
    };
    this.unsafeEnded = () => {
      this.unsafeRunning = false;
      advance(socket, this);
    };
  }

  /** Whether nothing is held back: a request arriving now is as on a connection without an order. */
  get idle(): boolean {
    return !this.unsafeRunning && this.overlapping === 0 && this.waiting.length === 0;
  }
}

const orders = new WeakMap<Socket, ConnectionOrder>();

/**
 * Whether a request may start at once, keeping the requests of one connection in order:
 * `node:http` hands pipelined requests to the server all at once, so without this a `GET`
 * pipelined after a `PUT` of the same path could run first. A safe request (`GET`, `HEAD`,
 * `LIST`) may overlap with other safe ones ({@link MAX_OVERLAPPING} at most), never with an
 * unsafe one; an unsafe request runs alone, once every earlier request on its connection has
 * finished. When this returns false, {@link waitTurn} must be called. Costs one map look-up for
 * a request with no unfinished response before it, the common case.
 */
export function startsNow(socket: Socket, res: ServerResponse, safe: boolean): boolean {
  const order = orders.get(socket);
  // `node:http` gives a response its socket only once every earlier response has finished.
  if (order === undefined || order.idle) {
    if (res.socket !== null) {
      if (!safe) runUnsafe(order ?? orderOf(socket), res);
      return true;
    }
    if (!safe) return false;
    runOverlapping(order ?? orderOf(socket), res);
    return true;
  }
  if (!safe || order.unsafeRunning || order.waiting.length > 0 || order.overlapping >= MAX_OVERLAPPING)
    return false;
  runOverlapping(order, res);
  return true;
}

/** The order of a connection that has none yet. */
function orderOf(socket: Socket): ConnectionOrder {
  const order = new ConnectionOrder(socket);
  orders.set(socket, order);
  return order;
}

/** Queues a request that may not start yet (see {@link startsNow}); `start` runs it in its turn. */
export function waitTurn(socket: Socket, res: ServerResponse, safe: boolean, start: () => void): void {
  const order = orders.get(socket) ?? orderOf(socket);
  order.waiting.push({ safe, res, start });
  advance(socket, order);
  if (order.waiting.length >= MAX_WAITING) stopReading(socket, order);
}

/** Stops `node:http` reading and parsing the connection, as it does while its answers wait unsent. */
function stopReading(socket: HttpSocket, order: ConnectionOrder): void {
  // `node:http` resumes a socket it sees no answers waiting on, so this is checked again for
  // every request queued, whether or not it was stopped here before.
  if (socket._paused === true) return;
  order.stoppedReading = true;
  socket._paused = true;
  socket.pause();
}

/**
 * Lets the connection be read again: its `drain` handler resumes the socket and its parser,
 * unless `node:http` holds it for answers of its own waiting unsent.
 */
function resumeReading(socket: Socket, order: ConnectionOrder): void {
  order.stoppedReading = false;
  if (!socket.destroyed) socket.emit('drain');
}

/** Marks an unsafe request running until its response is over (written, or cut off). */
function runUnsafe(order: ConnectionOrder, res: ServerResponse): void {
  order.unsafeRunning = true;
  // A response emits `close` once: `on` spares the wrapper `once` makes for every request.
  res.on('close', order.unsafeEnded);
}

/** Counts a safe request overlapping until its response is over (written, or cut off). */
function runOverlapping(order: ConnectionOrder, res: ServerResponse): void {
  order.overlapping++;
  res.on('close', order.overlapEnded);
}

/** Starts the waiting requests whose turn has come. */
function advance(socket: Socket, order: ConnectionOrder): void {
  while (!order.unsafeRunning && !order.awaitingSocket) {
    if (order.stoppedReading && order.waiting.length < MAX_WAITING) resumeReading(socket, order);
    const next = order.waiting[0];
    if (next === undefined) return;
    if (next.safe) {
      if (order.overlapping >= MAX_OVERLAPPING) return;
      runOverlapping(order, next.res);
    } else {
      if (next.res.socket === null) {
        order.awaitingSocket = true;
        next.res.once('socket', () => {
          order.awaitingSocket = false;
          advance(socket, order);
        });
        return;
      }
      runUnsafe(order, next.res);
    }
    order.waiting.shift();
    next.start();
  }
}
