import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** One listing entry, about 40 bytes of JSON. */
const ENTRY = '{"name":"aaaaaaaaaaaa","type":"file"},';

/** Answers every request with the header block of a JSON listing, then `write`s its body. */
function listingServer(write: (socket: Socket) => void): Promise<RawServer> {
  return startRawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n');
    write(socket);
  });
}

let huge: RawServer;

beforeAll(async () => {
  // 64 MiB of entries, a million and a half: larger than any folder a listing is read for.
  huge = await listingServer((socket) => {
    const chunk = Buffer.from(ENTRY.repeat(1024 * 16));
    let left = Math.ceil((64 * 1024 * 1024) / chunk.byteLength);
    socket.write('[');
    const pump = (): void => {
      while (left > 0) {
        left--;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      socket.end('{"name":"last","type":"file"}]');
    };
    pump();
  });
});
afterAll(async () => {
  await huge.close();
});

describe('parley LIST reads a bounded listing', () => {
  it('stops a listing over 16 MiB with exit 63, as curl --max-filesize, instead of holding it all', async () => {
    const run = await parley([`${huge.url}/folder/`]);
    expect(run.code).toBe(63);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^parley: .*larger than the limit of 16777216 bytes\n/);
  });
});
