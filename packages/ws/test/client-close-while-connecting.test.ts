import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { closeWhileConnecting } from '../../../test/support/close-while-connecting.js';

describe('a ws client closed while its connection is opening', () => {
  it('fails the waiting call as closed, settles its close and drops the connection', async () => {
    const failure = await closeWhileConnecting((port) =>
      ws(`ws://127.0.0.1:${port}/parley`, { connectTimeoutMs: 20_000 }),
    );
    expect(failure).toMatchObject({ status: 'unavailable', message: 'The client was closed' });
    // Well within the connection attempt's own timeout: a close that waited for it fails here.
  }, 10_000);
});
