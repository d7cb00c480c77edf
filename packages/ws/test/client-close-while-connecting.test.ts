import { createClient } from '@parley/core';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it } from 'vitest';
import { type SilentServer, startSilentServer } from '../../../test/support/raw-server.js';

let server: SilentServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a ws client closed while its connection is opening', () => {
  it('fails the waiting call as closed, settles its close and drops the connection', async () => {
    server = await startSilentServer();
    const url = `ws://127.0.0.1:${server.port}/parley`;
    const client = createClient(ws(url, { connectTimeoutMs: 20_000 }), { timeoutMs: 25_000 });
    const call = client.get('/x');
    call.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await client.close();
    await expect(call).rejects.toMatchObject({ status: 'unavailable', message: 'The client was closed' });
    await server.firstClosed;
    // Well within the connection attempt's own timeout: a close that waited for it fails here.
  }, 10_000);
});
