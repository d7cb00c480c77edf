import { ftp } from '@parley/ftp';
import { describe, expect, it } from 'vitest';
import { closeWhileConnecting } from '../../../test/support/close-while-connecting.js';

describe('an ftp client closed while its connection is opening', () => {
  it('fails the waiting call as closed, settles its close and drops the connection', async () => {
    const failure = await closeWhileConnecting((port) =>
      ftp(`ftp://127.0.0.1:${port}`, { client: { timeoutMs: 20_000 } }),
    );
    expect(failure).toMatchObject({ status: 'unavailable', message: 'The FTP client is closed' });
    // Well within the connection attempt's own timeout: a close that waited for it fails here.
  }, 10_000);
});
