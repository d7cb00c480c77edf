import { smtp } from '@parley/smtp';
import { describe, expect, it } from 'vitest';
import { closeWhileConnecting } from '../../../test/support/close-while-connecting.js';

describe('an smtp client closed while its connection is opening', () => {
  it('fails the waiting call as closed, settles its close and drops the connection', async () => {
    const failure = await closeWhileConnecting(
      (port) => smtp(`smtp://127.0.0.1:${port}`, { timeoutMs: 20_000 }),
      (client) => client.post('/inbox', 'hello'),
    );
    expect(failure).toMatchObject({ status: 'unavailable', message: 'The SMTP client is closed' });
    // Well within the connection attempt's own timeout: a close that waited for it fails here.
  }, 10_000);
});
