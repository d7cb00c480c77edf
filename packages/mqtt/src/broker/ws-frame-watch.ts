import type { Socket } from 'node:net';
import type { ReceivingBudget } from '@parley/core/transport';

/** Messages below this size are not counted against a {@link ReceivingBudget}: they arrive whole at once. */
const COUNTED_FROM_BYTES = 64 * 1024;

/** Where the watch is in a frame: its header (up to 14 bytes) or its payload. */
const State = { Header: 0, Payload: 1 } as const;

/**
 * Counts the WebSocket messages a client is sending on an upgraded socket against `budget`, as
 * their frame headers arrive: the `ws` library holds a message whole (its frames and fragments)
 * until its last frame ends, so a message of 64 KiB or more takes room for its bytes so far
 * and each next frame's, and gives it all back at the end of the message's final frame or when
 * the socket closes. A frame for which the address has no room left closes the socket.
 *
 * @param socket - the upgraded socket, once `ws` listens to it (its first bytes not yet emitted)
 * @param budget - the broker's room for packets being received, and the client's address
 */
export function watchWebSocketFrames(
  socket: Socket,
  budget: { readonly room: ReceivingBudget; readonly address: string | undefined },
): void {
  let state: number = State.Header;
  let header: number[] = [];
  let left = 0;
  let final = false;
  let message = 0;
  let held = 0;
  const giveBack = (): void => {
    if (held > 0) budget.room.give(budget.address, held);
    held = 0;
    message = 0;
  };
  const begin = (length: number, fin: boolean, control: boolean): boolean => {
    left = length;
    final = fin;
    if (control) return true;
    message += length;
    if (message < COUNTED_FROM_BYTES) return true;
    const more = message - held;
    if (!budget.room.take(budget.address, more)) return false;
    held = message;
    return true;
  };
  const scan = (chunk: Buffer): boolean => {
    let index = 0;
    while (index < chunk.length) {
      if (state === State.Payload) {
        const skip = Math.min(left, chunk.length - index);
        index += skip;
        left -= skip;
        if (left === 0) state = State.Header;
        if (left === 0 && final) giveBack();
        continue;
      }
      header.push(chunk[index++] as number);
      const needed = headerLength(header);
      if (header.length < needed) continue;
      const first = header[0] as number;
      const control = (first & 0x08) !== 0;
      const length = payloadLength(header);
      header = [];
      // A control frame does not end the message it may come in the middle of.
      if (!begin(length, control ? false : (first & 0x80) !== 0, control)) return false;
      state = length === 0 ? State.Header : State.Payload;
      if (length === 0 && final) giveBack();
    }
    return true;
  };
  socket.once('close', giveBack);
  const check = (chunk: Buffer): void => {
    if (!scan(chunk)) socket.destroy();
  };
  socket.prependListener('data', check);
}

/** The length of a frame header so far known: 2 bytes, the extended length, the mask key. */
function headerLength(header: readonly number[]): number {
  if (header.length < 2) return 2;
  const second = header[1] as number;
  const short = second & 0x7f;
  const extended = short === 126 ? 2 : short === 127 ? 8 : 0;
  return 2 + extended + (second & 0x80 ? 4 : 0);
}

/** The payload length a whole frame header announces. */
function payloadLength(header: readonly number[]): number {
  const short = (header[1] as number) & 0x7f;
  if (short < 126) return short;
  let length = 0;
  for (let i = 2; i < (short === 126 ? 4 : 10); i++) length = length * 256 + (header[i] as number);
  return length;
}
