import { createClient } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { packet, readPackets } from '../../../test/support/mqtt-packets.js';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An MQTT 5 DISCONNECT with `reason` and a reason string property. */
function disconnect(reason: number, text: string): Buffer {
  const bytes = Buffer.from(text);
  const property = Buffer.concat([Buffer.from([0x1f, bytes.length >> 8, bytes.length & 0xff]), bytes]);
  return packet(0xe0, Buffer.concat([Buffer.from([reason, property.length]), property]));
}

/**
 * An MQTT 5 broker that accepts the connection and the reply subscription, takes publishes
 * without acknowledging them, and at the `cutAt`-th ends the connection with DISCONNECT.
 */
function brokerThatDisconnects(cutAt: number, reason: number, text: string): Promise<RawServer> {
  return startTalkingServer((socket) => {
    let publishes = 0;
    readPackets(socket, (type, body) => {
      if (type === 1) socket.write(packet(0x20, Buffer.from([0, 0, 0])));
      else if (type === 8)
        socket.write(packet(0x90, Buffer.concat([body.subarray(0, 2), Buffer.from([0, 1])])));
      else if (type === 3 && ++publishes === cutAt) socket.end(disconnect(reason, text));
    });
  });
}

describe('an MQTT broker that ends the connection with a reason code during calls', () => {
  it('fails every waiting call unavailable, naming the reason code and string', async () => {
    server = await brokerThatDisconnects(3, 0x8b, 'going down for maintenance');
    await using client = createClient(mqtt(`mqtt://127.0.0.1:${server.port}/svc`), {
      retries: 0,
      timeoutMs: 60_000,
    });
    const calls = await Promise.allSettled([client.get('/a'), client.get('/b'), client.put('/c', 'x')]);
    for (const call of calls) {
      expect(call).toMatchObject({
        status: 'rejected',
        reason: {
          status: 'unavailable',
          message:
            'The MQTT broker ended the connection (DISCONNECT, reason 0x8b: going down for maintenance)',
        },
      });
    }
  });

  it('fails a publish left waiting for its PUBACK the same way', async () => {
    server = await brokerThatDisconnects(1, 0x89, 'busy');
    await using client = createClient(mqtt(`mqtt://127.0.0.1:${server.port}/svc`), { retries: 0 });
    await expect(client.publish('/notes/a', 'x')).rejects.toMatchObject({
      status: 'unavailable',
      message: 'The MQTT broker ended the connection (DISCONNECT, reason 0x89: busy)',
    });
  });
});
