import type { Socket } from 'node:net';
import { ParleyError } from '@parley/core';

/** The controllers of the exchanges in flight on each socket whose handlers read their signal. */
const watched = new WeakMap<Socket, Set<AbortController>>();

/**
 * A controller whose signal aborts (`cancelled`) when the client closes `socket` (or only its
 * side of it), until
 * {@link unwatchSocket} releases it. Made only when a handler reads its request's signal, so
 * exchanges whose handlers never look at it cost nothing. One pair of listeners per socket
 * serves all of them.
 */
export function watchSocket(socket: Socket): AbortController {
  const controller = new AbortController();
  if (socket.destroyed || socket.readableEnded) {
    controller.abort(closedError());
    return controller;
  }
  let controllers = watched.get(socket);
  if (controllers === undefined) {
    const waiting = new Set<AbortController>();
    controllers = waiting;
    watched.set(socket, waiting);
    const abortAll = (): void => {
      const reason = closedError();
      for (const each of waiting) each.abort(reason);
      waiting.clear();
    };
    // A client that closed only its side (`end`) may still read the answers, which are sent;
    // but, as one that went away altogether, it sends nothing more: handlers may stop.
    socket.once('end', abortAll);
    socket.once('close', abortAll);
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
