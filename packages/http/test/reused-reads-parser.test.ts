import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { noteLent, parseReadsWith, READS } from '../src/client/reused-reads.js';

/** Hands `bytes` bytes to `READS` as a read of `socket` would. */
function read(socket: Socket, bytes: number): void {
  const buffer = READS.buffer();
  buffer.fill(1, 0, bytes);
  READS.callback.call(socket, bytes, buffer);
}

describe('reads inside a lent HTTP body', () => {
  it('go to the parser while undici holds one, and through the socket once it let go of it', () => {
    // Its own key, in a file of its own: the real one is set when undici loads.
    const key = Symbol('parser');
    parseReadsWith(key);
    const socket = new Socket();
    const seen: string[] = [];
    // As undici on 'readable': every chunk parsed and lent.
    socket.on('readable', () => {
      for (let chunk = socket.read() as Buffer | null; chunk !== null; chunk = socket.read()) {
        seen.push(`socket ${chunk.byteLength}`);
        noteLent();
      }
    });
    const parser = {
      paused: false,
      ptr: 1,
      execute(chunk: Buffer): void {
        seen.push(`parser ${chunk.byteLength}`);
        noteLent();
      },
    };
    Object.assign(socket, { [key]: parser });
    read(socket, 10);
    read(socket, 20);
    // undici sets its parser to null once a connection is upgraded or closed.
    Object.assign(socket, { [key]: null });
    read(socket, 30);
    socket.destroy();
    expect(seen).toEqual(['socket 10', 'parser 20', 'socket 30']);
  });
});
