import type { Socket } from 'node:net';
import { ParleyError } from '@parley/core';

/** The controllers of the exchanges in flight on each socket whose handlers read their signal. */
const watched = new WeakMap<Socket, Set<AbortController>>();

/**
 * A controller whose signal aborts (`cancelled`) when `socket` closes, until
 * {@link unwatchSocket} releases it. Made only when a handler reads its request's signal, so
 * exchanges whose handlers never look at it cost nothing. One `close` listener per socket
 * serves all of them.
 */
export function watchSocket(socket: Socket): AbortController {
  const controller = new AbortController();
  if (socket.destroyed) {
    controller.abort(closedError());
    return controller;
  }
  let controllers = watched.get(socket);
  if (controllers === undefined) {
    const waiting = new Set<AbortController>();
    controllers = waiting;
    watched.set(socket, waiting);
    socket.once('close', () => {
      const reason = closedError();
      for (const each of waiting) each.abort(reason);
      waiting.clear();
    });
  }
  controllers.add(controller);
  return controller;
}

/** Stops a controller from {@link watchSocket} aborting: its exchange is over. */
export function unwatchSocket(socket: Socket, controller: AbortController): void {
  watched.get(socket)?.delete(controller);
}

function closedError(): ParleyError {
  return new ParleyError('cancelled', 'The client closed the connection');
}
