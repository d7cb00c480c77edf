import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A request waiting for its turn on its connection. */
interface Turn {
  readonly safe: boolean;
  readonly res: ServerResponse;
  readonly start: () => void;
}

/**
 * What one connection holds back: whether an unsafe request runs, and the requests behind it
 * in arrival order. It exists only while an unsafe request runs or a request waits.
 */
class ConnectionOrder {
  unsafeRunning = false;
  /** Whether the first waiting request (unsafe) waits for the earlier responses to finish. */
  awaitingSocket = false;
  readonly waiting: Turn[] = [];
}

const orders = new WeakMap<Socket, ConnectionOrder>();

/**
 * Whether a request may start at once, keeping the requests of one connection in order:
 * `node:http` hands pipelined requests to the server all at once, so without this a `GET`
 * pipelined after a `PUT` of the same path could run first. A safe request (`GET`, `HEAD`,
 * `LIST`) may overlap with other safe ones, never with an unsafe one; an unsafe request runs
 * alone, once every earlier request on its connection has finished. When this returns false,
 * {@link waitTurn} must be called. Costs one map look-up for a safe request when nothing
 * unsafe is pending, the common case.
 */
export function startsNow(socket: Socket, res: ServerResponse, safe: boolean): boolean {
  const order = orders.get(socket);
  if (safe) return order === undefined;
  // `node:http` gives a response its socket only once every earlier response has finished.
  if (order !== undefined || res.socket === null) return false;
  const started = new ConnectionOrder();
  orders.set(socket, started);
  runUnsafe(socket, started, res);
  return true;
}

/** Queues a request that may not start yet (see {@link startsNow}); `start` runs it in its turn. */
export function waitTurn(socket: Socket, res: ServerResponse, safe: boolean, start: () => void): void {
  let order = orders.get(socket);
  if (order === undefined) {
    order = new ConnectionOrder();
    orders.set(socket, order);
  }
  order.waiting.push({ safe, res, start });
  advance(socket, order);
}

/** Marks an unsafe request running until its response is over (written, or cut off). */
function runUnsafe(socket: Socket, order: ConnectionOrder, res: ServerResponse): void {
  order.unsafeRunning = true;
  res.once('close', () => {
    order.unsafeRunning = false;
    advance(socket, order);
  });
}

/** Starts the waiting requests whose turn has come; forgets the connection once none is left. */
function advance(socket: Socket, order: ConnectionOrder): void {
  while (!order.unsafeRunning && !order.awaitingSocket) {
    const next = order.waiting[0];
    if (next === undefined) {
      orders.delete(socket);
      return;
    }
    if (!next.safe) {
      if (next.res.socket === null) {
        order.awaitingSocket = true;
        next.res.once('socket', () => {
          order.awaitingSocket = false;
          advance(socket, order);
        });
        return;
      }
      runUnsafe(socket, order, next.res);
    }
    order.waiting.shift();
    next.start();
  }
}
