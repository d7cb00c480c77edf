import type { Duplex } from 'node:stream';

/**
 * Groups every frame written in one turn of the event loop into one socket write: the first
 * write of a turn corks the socket and `setImmediate` (the check phase of the same turn)
 * uncorks it. Many requests or replies written together then cost one system call and one TCP
 * segment, and none waits longer than it would anyway. Returns the function to call before
 * each write.
 */
export function batchWrites(socket: Duplex): () => void {
  let corked = false;
  const flush = (): void => {
    corked = false;
    socket.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    socket.cork();
    setImmediate(flush);
  };
}
