import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { createClient, ParleyError, type Transport } from '@parley/core';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A peer that answers in clear text on the port a client reaches with TLS. */
let plain: NetServer;
let port = 0;
beforeAll(async () => {
  plain = createNetServer((socket) => {
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi');
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  port = (plain.address() as { port: number }).port;
});
afterAll(() => {
  plain.close();
});

const clients: [string, () => Transport][] = [
  ['https://', () => http(`https://127.0.0.1:${port}/`)],
  ['wss://', () => ws(`wss://127.0.0.1:${port}/`)],
  ['mqtts://', () => mqtt(`mqtts://127.0.0.1:${port}/service`)],
  ['smtps://', () => smtp(`smtps://127.0.0.1:${port}`)],
];

describe('a TLS client reaching a peer that does not speak TLS', () => {
  for (const [scheme, transport] of clients) {
    it(`${scheme}: fails with an unavailable ParleyError that says TLS failed, not retried`, async () => {
      await using client = createClient(transport(), { retries: 0, timeoutMs: 5000 });
      const call = scheme === 'smtps://' ? client.post('/inbox', 'x') : client.get('/a.txt');
      await expect(call).rejects.toSatisfy(
        (error) =>
          error instanceof ParleyError &&
          error.status === 'unavailable' &&
          !error.retryable &&
          /TLS/.test(error.message) &&
          /does not speak TLS/.test(error.message),
      );
    });
  }
});
