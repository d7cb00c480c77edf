import { createClient } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { lengthPrefixed, packet, readPackets, remainingLength } from '../../../test/support/mqtt-packets.js';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

const MB = 1024 * 1024;
/** What the broker announces and tries to send: far over what the client announced. */
const ANNOUNCED = 100 * MB;

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/**
 * A broker speaking only MQTT `version` (an MQTT 5 CONNECT to a 3.1.1 broker is refused with
 * 0x84) that, once the client subscribed, sends a PUBLISH announcing 100 MB on the subscribed
 * topic and streams its payload until the client cuts the connection; `sent` resolves with the
 * payload bytes written by then.
 */
async function brokerSendingHugePublish(
  version: 4 | 5,
): Promise<{ server: RawServer; sent: Promise<number> }> {
  const properties = version === 5 ? [0] : [];
  let report = (_bytes: number): void => {};
  const sent = new Promise<number>((resolve) => {
    report = resolve;
  });
  const started = await startTalkingServer((socket) => {
    let written = 0;
    // Only the connection that got as far as the PUBLISH reports (not a refused MQTT 5 attempt).
    socket.once('close', () => {
      if (written > 0) report(written);
    });
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
      if (type === 1) {
        // CONNECT: the protocol level follows the protocol name ("MQTT", length-prefixed).
        if (body[6] === version) socket.write(packet(0x20, Buffer.from([0, 0, ...properties])));
        else socket.end(packet(0x20, Buffer.from([0, 0x84, 0])));
      } else if (type === 8) {
        socket.write(packet(0x90, Buffer.concat([body.subarray(0, 2), Buffer.from([...properties, 1])])));
        // SUBSCRIBE: packet id, properties (MQTT 5), then the first topic filter.
        const at = 2 + properties.length;
        const topicLength = body.readUInt16BE(at);
        const topic = lengthPrefixed(body.subarray(at + 2, at + 2 + topicLength).toString());
        // Topic, no properties (MQTT 5), then the payload.
        socket.write(
          Buffer.concat([
            Buffer.from([0x30]),
            remainingLength(topic.length + properties.length + ANNOUNCED),
            topic,
            Buffer.from(properties),
          ]),
        );
        pump();
      }
    });
  });
  return { server: started, sent };
}

describe('a broker sending a packet larger than the client takes', () => {
  it.each([
    ['MQTT 5, over the Maximum Packet Size the client announced', 5],
    ['MQTT 3.1.1, which cannot announce one, over the body limit and its room', 4],
  ] as const)(
    '%s: the connection is cut as the packet starts, not once 100 MB are in memory',
    async (_name, version) => {
      const broker = await brokerSendingHugePublish(version);
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
    },
    120_000,
  );
});
