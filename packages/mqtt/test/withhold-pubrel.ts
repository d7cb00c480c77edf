import { connect } from 'node:net';
import { lengthPrefixed, packet } from '../../../test/support/mqtt-packets.js';

/** What a client that never sends PUBREL saw of the broker. */
export interface WithheldPubrel {
  /** PUBRECs received. */
  readonly pubrecs: number;
  /** Whether the broker closed the connection. */
  readonly closed: boolean;
  /** Closes the connection from the client's side. */
  readonly close: () => void;
}

/**
 * Connects as `clientId`, sends `count` QoS 2 PUBLISHes of `size` bytes and never a PUBREL;
 * resolves once the PUBREC of the last message came or the broker closed the connection.
 */
export async function withholdPubrel(
  port: number,
  clientId: string,
  count: number,
  size: number,
): Promise<WithheldPubrel> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  socket.write(
    packet(
      0x10,
      Buffer.concat([lengthPrefixed('MQTT'), Buffer.from([4, 2, 0, 60]), lengthPrefixed(clientId)]),
    ),
  );
  const payload = Buffer.alloc(size, 0x61);
  for (let id = 1; id <= count && !socket.destroyed; id++) {
    const body = Buffer.concat([lengthPrefixed('q/x'), Buffer.from([id >> 8, id & 0xff]), payload]);
    if (!socket.write(packet(0x34, body)))
      await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
  }
  // The PUBREC of the last message tells every earlier one was handled; a closed connection ends the wait.
  await Promise.race([
    closed,
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (received.length >= 4 + 4 * count) resolve();
      };
      check();
      socket.on('data', check);
    }),
  ]);
  // PUBREC is 0x50 0x02 id id; CONNACK (4 bytes) comes first.
  let pubrecs = 0;
  for (let i = 4; i + 3 < received.length; i += 4) if (received[i] === 0x50) pubrecs++;
  return { pubrecs, closed: socket.destroyed, close: () => socket.destroy() };
}
