import { connect } from 'node:net';
import { startBroker } from '@parley/mqtt';
import { describe, expect, it } from 'vitest';
import { lengthPrefixed, packet } from './raw-packets.js';

const MiB = 1024 * 1024;

/**
 * Sends `count` QoS 2 PUBLISHes of `size` bytes and never a PUBREL; resolves with the PUBRECs
 * received and whether the broker closed the connection.
 */
async function withholdPubrel(port: number, count: number, size: number) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
  });
  const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
  const connectBody = Buffer.concat([
    lengthPrefixed('MQTT'),
    Buffer.from([4, 2, 0, 60]),
    lengthPrefixed('qos2'),
  ]);
  socket.write(packet(0x10, connectBody));
  const payload = Buffer.alloc(size, 0x61);
  for (let id = 1; id <= count && !socket.destroyed; id++) {
    const body = Buffer.concat([lengthPrefixed('q/x'), Buffer.from([id >> 8, id & 0xff]), payload]);
    if (!socket.write(packet(0x34, body)))
      await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed]);
  }
  const wasClosed = await Promise.race([
    closed,
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2000)),
  ]);
  socket.destroy();
  // PUBREC is 0x50 0x02 id id; CONNACK (4 bytes) comes first.
  let pubrecs = 0;
  for (let i = 4; i + 3 < received.length; i += 4) if (received[i] === 0x50) pubrecs++;
  return { pubrecs, closed: wasClosed };
}

describe('QoS 2 messages never released (no PUBREL), on the embedded broker', () => {
  it('are held up to 64 MiB per connection, which is then closed', async () => {
    const broker = await startBroker({ port: 0 });
    try {
      const port = Number(new URL(broker.url).port);
      const outcome = await withholdPubrel(port, 100, MiB);
      expect(outcome.closed).toBe(true);
      expect(outcome.pubrecs).toBeLessThanOrEqual(64);
      // A client within the bound is served as before.
      expect(await withholdPubrel(port, 10, MiB)).toEqual({ pubrecs: 10, closed: false });
    } finally {
      await broker.close();
    }
  }, 60_000);
});
