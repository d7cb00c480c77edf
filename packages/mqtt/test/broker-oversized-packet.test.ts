import { createClient } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';
import { lengthPrefixed, packet, readPackets, remainingLength } from './raw-packets.js';

const MB = 1024 * 1024;
/** What the broker announces and tries to send: far over what the client announced. */
const ANNOUNCED = 100 * MB;

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * An MQTT 5 broker that, once the client subscribed, sends a PUBLISH announcing 100 MB on the
 * subscribed topic and streams its payload until the client cuts the connection; `sent`
 * resolves with the payload bytes written by then.
 */
async function brokerSendingHugePublish(): Promise<{ server: RawServer; sent: Promise<number> }> {
  let report = (_bytes: number): void => {};
  const sent = new Promise<number>((resolve) => {
    report = resolve;
  });
  const started = await startTalkingServer((socket) => {
    let written = 0;
    socket.once('close', () => report(written));
    const chunk = Buffer.alloc(MB, 0x61);
    const pump = (): void => {
      while (written < ANNOUNCED && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    readPackets(socket, (type, body) => {
      if (type === 1) socket.write(packet(0x20, Buffer.from([0, 0, 0])));
      else if (type === 8) {
        socket.write(packet(0x90, Buffer.concat([body.subarray(0, 2), Buffer.from([0, 1])])));
        const topicLength = body.readUInt16BE(3);
        const topic = lengthPrefixed(body.subarray(5, 5 + topicLength).toString());
        // Topic, no properties (0), then the payload.
        socket.write(
          Buffer.concat([Buffer.from([0x30]), remainingLength(topic.length + 1 + ANNOUNCED), topic]),
        );
        socket.write(Buffer.from([0]));
        pump();
      }
    });
  });
  return { server: started, sent };
}

describe('an MQTT 5 broker sending a packet larger than the client announced (Maximum Packet Size)', () => {
  it('has its connection cut as the packet starts, not once 100 MB are in memory', async () => {
    const broker = await brokerSendingHugePublish();
    server = broker.server;
    const url = `mqtt://127.0.0.1:${server.port}/svc`;
    const client = createClient(
      mqtt(url, { maxBodyBytes: MB, reconnectPeriodMs: 60_000, connectTimeoutMs: 2_000 }),
      {
        timeoutMs: 90_000,
      },
    );
    try {
      await expect(client.get('/x')).rejects.toMatchObject({ status: 'unavailable' });
      // What the socket buffers held when the connection was cut, at most: far under the packet.
      expect(await broker.sent).toBeLessThan(32 * MB);
    } finally {
      await client.close();
    }
  }, 120_000);
});
