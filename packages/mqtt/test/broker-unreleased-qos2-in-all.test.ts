import { connect } from 'node:net';
import { startBroker } from '@parley/mqtt';
import { describe, expect, it } from 'vitest';
import { lengthPrefixed, packet } from './raw-packets.js';

const MiB = 1024 * 1024;

/**
 * Connects as `clientId`, sends `count` QoS 2 PUBLISHes of 1 MiB and never a PUBREL; resolves
 * with the PUBRECs received, whether the broker closed the connection, and a way to close it.
 */
async function withholdPubrel(port: number, clientId: string, count: number) {
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
  const payload = Buffer.alloc(MiB, 0x61);
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

describe('QoS 2 messages never released, by many clients of the embedded broker', () => {
  it('are held up to maxUnreleasedBytes in all: the client going over is closed, and room comes back when one goes', async () => {
    const broker = await startBroker({ port: 0, maxUnreleasedBytes: 8 * MiB });
    try {
      const port = Number(new URL(broker.url).port);
      const first = await withholdPubrel(port, 'first', 5);
      expect(first).toMatchObject({ pubrecs: 5, closed: false });
      const second = await withholdPubrel(port, 'second', 5);
      expect(second.closed).toBe(true);
      expect(second.pubrecs).toBeLessThanOrEqual(3);
      first.close();
      // Once the broker has seen the first client go, what it held is free again (asked until it has).
      let third = await withholdPubrel(port, 'third', 5);
      for (let attempt = 0; third.closed && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        third = await withholdPubrel(port, 'third', 5);
      }
      expect(third).toMatchObject({ pubrecs: 5, closed: false });
      third.close();
    } finally {
      await broker.close();
    }
  }, 60_000);
});
