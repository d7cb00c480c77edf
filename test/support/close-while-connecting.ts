import { type Client, createClient, type Transport } from '@parley/core';
import { startSilentServer } from './raw-server.js';

/**
 * Points a client at a server that accepts connections and never says a word, starts a call,
 * closes the client while its connection is still opening, and gives back how the call failed,
 * once the server saw the connection dropped. `transport` makes the client's transport to the
 * server's port; its connection timeout must be long (20 s), so that a close waiting for the
 * attempt to end fails the test's own timeout instead.
 */
export async function closeWhileConnecting(
  transport: (port: number) => Transport,
  call: (client: Client) => Promise<unknown> = (client) => client.get('/x'),
): Promise<unknown> {
  const server = await startSilentServer();
  try {
    const client = createClient(transport(server.port), { timeoutMs: 25_000 });
    const waiting = call(client);
    const failure = waiting.then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.close();
    await server.firstClosed;
    return await failure;
  } finally {
    await server.close();
  }
}
