import { once } from 'node:events';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ParleySmtpServer } from '../src/server/connection-hooks.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Opens `count` connections one after the other, each dropped after the greeting; weak references to the server's connections. */
async function openAndDrop(
  server: ParleySmtpServer,
  port: number,
  count: number,
): Promise<WeakRef<object>[]> {
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < count; i++) {
    const socket = connect(port, '127.0.0.1');
    await once(socket, 'data');
    for (const connection of server.connections) refs.push(new WeakRef(connection));
    socket.end('QUIT\r\n');
    await once(socket, 'close');
  }
  return refs;
}

describe('SMTP connections that close before any mail', () => {
  it('are not kept in memory until their first-MAIL deadline', async () => {
    const server = new ParleySmtpServer(
      { logger: false, disabledCommands: ['STARTTLS'] },
      {
        greetingDelayMs: 0,
        firstMailTimeoutMs: 600_000,
        maxConnections: 100,
        maxConnectionsPerAddress: 100,
        onRefusedSocketError: () => {},
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server.server, 'listening');
    const { port } = server.server.address() as { port: number };
    const refs = await openAndDrop(server, port, 20);
    expect(refs).toHaveLength(20);
    while (server.connections.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    for (let round = 0; round < 3; round++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
