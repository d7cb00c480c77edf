import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

let server: RawServer;
let base = '';

beforeAll(async () => {
  // `/nothing` gets the connection closed without a byte; `/half` half a status line first.
  server = await startRawServer((socket, request) => {
    if (request.toString('latin1').startsWith('GET /half ')) socket.end('HTTP/1.1 20');
    else socket.end();
  });
  base = server.url;
});
afterAll(() => server.close());

describe('an HTTP server that closes the connection without answering', () => {
  it('ends parley with exit 52, as curl (empty reply from server)', async () => {
    const run = await parley([`${base}/nothing`]);
    expect(run).toEqual({ code: 52, stdout: '', stderr: 'parley: Empty reply from the server\n' });
  });

  it('after part of an answer, still ends it with 56 (the connection failed while receiving)', async () => {
    const run = await parley([`${base}/half`]);
    expect(run.code).toBe(56);
  });
});
