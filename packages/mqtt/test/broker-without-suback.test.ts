import { createServer, type Socket } from 'node:net';
import { createClient, ParleyError } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { packet, readPackets } from '../../../test/support/mqtt-packets.js';

const sockets = new Set<Socket>();
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  for (const close of closing.splice(0)) await close();
});

/** A broker that accepts the connection (CONNACK) but never acknowledges a subscription. */
async function brokerWithoutSuback(): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    readPackets(socket, (type) => {
      // CONNECT: success, no properties.
      if (type === 1) socket.write(packet(0x20, Buffer.from([0, 0, 0])));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push(() => new Promise((resolve) => server.close(() => resolve())));
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** What settles first: `work`, or a bounded wait (so a hang fails the test instead of stalling it). */
function within<T>(work: Promise<T>, ms: number): Promise<T | 'still waiting'> {
  return Promise.race([
    work,
    new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms)),
  ]);
}

describe('a broker that never acknowledges the subscription to the reply topic', () => {
  it('fails the call at its timeout, and closing the client does not wait for the acknowledgement', async () => {
    const port = await brokerWithoutSuback();
    const client = createClient(mqtt(`mqtt://127.0.0.1:${port}/svc`), { retries: 0, timeoutMs: 500 });
    const failure = await within(
      client.get('/x').then(
        () => 'answered',
        (error: unknown) => ParleyError.from(error).status,
      ),
      10_000,
    );
    expect(failure).toBe('timeout');
    expect(
      await within(
        client.close().then(() => 'closed'),
        10_000,
      ),
    ).toBe('closed');
  });
});
