import { connect, type Socket } from 'node:net';
import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt, startBroker } from '@parley/mqtt';
import { describe, expect, it } from 'vitest';
import { lengthPrefixed, packet } from '../../../test/support/mqtt-packets.js';

/** A raw 3.1.1 client subscribed to `#` that then stops reading its socket. */
async function frozenSubscriber(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  const connectBody = Buffer.concat([
    lengthPrefixed('MQTT'),
    Buffer.from([4, 2, 2, 88]),
    lengthPrefixed('eve'),
  ]);
  socket.write(packet(0x10, connectBody));
  socket.write(packet(0x82, Buffer.concat([Buffer.from([0, 1]), lengthPrefixed('#'), Buffer.from([0])])));
  // CONNACK (4 bytes) and SUBACK (5 bytes), then nothing more is read.
  await new Promise<void>((resolve) => {
    let seen = 0;
    const count = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen < 9) return;
      socket.off('data', count);
      socket.pause();
      resolve();
    };
    socket.on('data', count);
  });
  return socket;
}

describe('a subscriber that stops reading, on the embedded broker', () => {
  it('does not stall the deliveries of every other client: 80 replies of 1 MiB still arrive', async () => {
    const broker = await startBroker({ port: 0 });
    const server = createServer(
      createRouter().get('/big', async () => respond('ok', 'x'.repeat(1024 * 1024))),
    );
    const eve = await frozenSubscriber(Number(new URL(broker.url).port));
    try {
      await server.listen(mqtt(`${broker.url}/svc`));
      await using alice = createClient(mqtt(`${broker.url}/svc`), { retries: 0 });
      const statuses: string[] = [];
      for (let i = 0; i < 80; i++) {
        const reply = await alice.get('/big', { timeoutMs: 15_000 });
        statuses.push(`${reply.status} ${(await reply.body.bytes()).byteLength}`);
      }
      expect(statuses).toEqual(Array(80).fill('ok 1048576'));
    } finally {
      eve.destroy();
      await server.close({ timeoutMs: 1000 });
      await broker.close();
    }
  }, 60_000);
});
