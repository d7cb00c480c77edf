import type { Socket } from 'node:net';
import type { Peer } from '@parley/core';

/** The peer of the anonymous requests of each connection. */
const anonymous = new WeakMap<Socket, Peer>();

/**
 * Where a request arriving on `socket` came from, for a request sent without credentials: one
 * frozen object per connection, shared by its requests (reading a socket's address goes through
 * several getters, and the address does not change while it is open).
 */
export function anonymousPeer(socket: Socket): Peer {
  let peer = anonymous.get(socket);
  if (peer === undefined) {
    peer = Object.freeze({ protocol: 'http', address: socket.remoteAddress, principal: undefined });
    anonymous.set(socket, peer);
  }
  return peer;
}
