import { createClient, ParleyError } from '@parley/core';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CloseIgnoringWsServer,
  startCloseIgnoringWsServer,
} from '../../../test/support/close-ignoring-ws-server.js';

const servers: CloseIgnoringWsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A server that completes the upgrade, then ignores everything; `received` resolves on the first message. */
async function ignoringServer(): Promise<CloseIgnoringWsServer & { received: Promise<void> }> {
  let onMessage = (): void => {};
  const received = new Promise<void>((resolve) => {
    onMessage = resolve;
  });
  const server = await startCloseIgnoringWsServer(() => {
    onMessage();
    return undefined;
  });
  servers.push(server);
  return { ...server, received };
}

/** Makes the client open its connection: a request the server never answers, then abandoned. */
async function openConnection(
  client: ReturnType<typeof createClient>,
  received: Promise<void>,
): Promise<void> {
  const abandon = new AbortController();
  const call = client
    .get('/a.txt', { signal: abandon.signal })
    .catch((error: unknown) => ParleyError.from(error));
  await received;
  abandon.abort();
  await call;
}

describe('a WebSocket server that never answers the close frame', () => {
  it('has its connection cut by the closing client after closeTimeoutMs (1 s), not after 30 s', async () => {
    const { url, cut, received } = await ignoringServer();
    const client = createClient(ws(url));
    await openConnection(client, received);
    await client.close();
    await cut;
    // A client that leaves the connection to ws's own 30 s close timeout fails on the test's timeout.
  }, 10_000);

  it('refuses a closeTimeoutMs that is not a number of ms', () => {
    expect(() => ws('ws://127.0.0.1:1/parley', { closeTimeoutMs: -1 })).toThrow(/closeTimeoutMs/);
  });
});
