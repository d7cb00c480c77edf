import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SilentServer, startSilentServer } from '../../../test/support/raw-server.js';
import { runInProcess } from './run-in-process.js';

let server: SilentServer;
beforeAll(async () => {
  server = await startSilentServer();
});
afterAll(() => server.close());

describe('-m, the short form of --max-time (as curl -m)', () => {
  it('bounds a request to a server that never answers: exit 28', async () => {
    const result = await runInProcess(['-m', '1', `http://127.0.0.1:${server.port}/a.txt`]);
    expect(result.code).toBe(28);
    expect(result.stderr).toBe('parley: Timed out after 1000 ms\n');
  });
});
