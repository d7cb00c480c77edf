import type { Socket } from 'node:net';
import type { Peer, Principal } from '@parley/core';

/** The peer of the anonymous requests of each connection. */
const anonymous = new WeakMap<Socket, Peer>();

/**
 * Where a request arriving on `socket` came from, and who sent it. The requests sent without
 * credentials share one frozen object per connection (reading a socket's address goes through
 * several getters, and the address does not change while it is open).
 */
export function peerOf(socket: Socket, principal: Principal | undefined): Peer {
  if (principal !== undefined) return { protocol: 'http', address: socket.remoteAddress, principal };
  let peer = anonymous.get(socket);
  if (peer === undefined) {
    peer = Object.freeze({ protocol: 'http', address: socket.remoteAddress, principal: undefined });
    anonymous.set(socket, peer);
  }
  return peer;
}
