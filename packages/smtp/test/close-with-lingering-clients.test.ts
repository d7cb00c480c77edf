import { connect, type Socket } from 'node:net';
import { createRouter, createServer, respond } from '@parley/core';
import { smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';

/** A client that, once greeted and past EHLO, never closes its side: the server's FIN is left unanswered. */
async function lingeringClient(
  port: number,
): Promise<{ socket: Socket; received: () => string; ended: Promise<void>; closed: Promise<void> }> {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
  });
  socket.on('error', () => undefined);
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise((resolve) => socket.once('connect', resolve));
  while (!/^220 /m.test(text)) await new Promise((resolve) => setTimeout(resolve, 10));
  socket.write('EHLO client.example\r\n');
  while (!/^250 /m.test(text)) await new Promise((resolve) => setTimeout(resolve, 10));
  return { socket, received: () => text, ended, closed };
}

describe('closing an SMTP listener whose clients do not close their side after its 421', () => {
  it('cuts their sockets when it closes instead of leaving them open for 5 s (which keeps a process alive)', async () => {
    const server = createServer(createRouter().post('/inbox', async () => respond('ok')));
    const listener = await server.listen(smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 0 }));
    const port = Number(new URL(listener.url).port);
    const clients = await Promise.all([lingeringClient(port), lingeringClient(port)]);
    try {
      const started = Date.now();
      await server.close({ timeoutMs: 100 });
      for (const client of clients) {
        await client.ended;
        expect(client.received()).toMatch(/^421 4\.3\.2 /m);
        // The server's socket is gone: what the client still sends is refused (a reset).
        const writes = setInterval(() => client.socket.write('NOOP\r\n'), 20);
        await client.closed;
        clearInterval(writes);
      }
      // Well under the 5 s smtp-server keeps a half-closed socket, with room for a loaded machine.
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      for (const client of clients) client.socket.destroy();
    }
  });
});
