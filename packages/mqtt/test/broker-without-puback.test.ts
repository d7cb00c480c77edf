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

/**
 * A broker that accepts the connection (MQTT 5 or 3.1.1) and the subscription, takes each
 * publish and never acknowledges it (no PUBACK): `closed` resolves when the client's socket ends.
 */
async function brokerWithoutPuback(): Promise<{ server: RawServer; closed: Promise<void> }> {
  let ended = (): void => {};
  const closed = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const started = await startTalkingServer((socket) => {
    let version = 4;
    socket.once('close', ended);
    readPackets(socket, (type, body) => {
      if (type === 1) {
        version = body[6] as number;
        socket.write(packet(0x20, Buffer.from(version === 5 ? [0, 0, 0] : [0, 0])));
      } else if (type === 8) {
        const id = body.subarray(0, 2);
        socket.write(packet(0x90, Buffer.concat([id, Buffer.from(version === 5 ? [0, 1] : [1])])));
      } else if (type === 12) socket.write(Buffer.from([0xd0, 0]));
    });
  });
  return { server: started, closed };
}

describe('an MQTT broker that never acknowledges a request (no PUBACK)', () => {
  it('fails the call at its deadline, and the client still closes, cutting the connection', async () => {
    const broker = await brokerWithoutPuback();
    server = broker.server;
    const client = createClient(mqtt(`mqtt://127.0.0.1:${server.port}/svc`), { timeoutMs: 500 });
    await expect(client.get('/x')).rejects.toMatchObject({ status: 'timeout' });
    await client.close();
    await broker.closed;
    // A close that waits for the missing PUBACK never ends: the test's own timeout fails it.
  }, 15_000);
});
