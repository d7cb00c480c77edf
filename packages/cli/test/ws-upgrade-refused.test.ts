import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 120_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

let server: RawServer;
beforeAll(async () => {
  // Answers every upgrade with the status its path names: `/404/parley`, `/503/parley`.
  server = await startRawServer((socket, request) => {
    const status = /^GET \/(\d{3})\//.exec(request.toString('latin1'))?.[1] ?? '400';
    socket.end(`HTTP/1.1 ${status} Refused\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  });
});
afterAll(() => server.close());

describe('parley and a server that answers the WebSocket upgrade with a failure', () => {
  it('exits 22, as curl ("Refused WebSockets upgrade"), not 7: the connection was made', async () => {
    const wsUrl = server.url.replace(/^http:/, 'ws:');
    for (const status of ['401', '403', '404', '503']) {
      const run = await parley(['--prefix', `${status}/parley`, `${wsUrl}/${status}/parley/a.txt`]);
      expect(run.code).toBe(22);
      expect(run.stderr).toContain(`The server refused the WebSocket upgrade with ${status}`);
    }
  });
});
