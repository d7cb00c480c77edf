import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** Names that read as others: a right-to-left override, a zero-width space, an isolate. */
const NAMES = ['invoice\u202etxt.exe', 'pass\u200bwd', 'a\u2066b\u2069c'];

let http: RawServer;
beforeAll(async () => {
  http = await startRawServer((socket) => {
    const body = JSON.stringify(NAMES.map((name) => ({ name, type: 'file', size: 1 })));
    socket.end(
      `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
});
afterAll(() => http.close());

describe('parley lists names that would read as other names', () => {
  it('with their bidirectional and invisible characters shown as \\uNNNN', async () => {
    const run = await parley([`http://127.0.0.1:${http.port}/folder/`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(' invoice\\u202etxt.exe\n');
    expect(run.stdout).toContain(' pass\\u200bwd\n');
    expect(run.stdout).toContain(' a\\u2066b\\u2069c\n');
    expect(run.stdout).not.toMatch(/[\u200b\u202e\u2066\u2069]/);
  });
});
