import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawServer, startTalkingServer } from '../../../test/support/raw-server.js';

let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a 304 or 204 answer carrying a content-length', () => {
  it.each([
    ['304 Not Modified', 'ok'],
    ['204 No Content', 'no_content'],
  ])(
    '%s is a whole answer with an empty body, and the next request gets its own answer',
    async (line, status) => {
      let requests = 0;
      server = await startTalkingServer((socket) => {
        socket.on('data', () => {
          requests++;
          // A 304 may carry the stored copy's size (RFC 9110, 8.6); no body follows either.
          if (requests === 1) socket.write(`HTTP/1.1 ${line}\r\ncontent-length: 37\r\netag: "v1"\r\n\r\n`);
          else socket.end('HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nfresh');
        });
      });
      const client = createClient(http(server.url), { retries: 0, timeoutMs: 10_000 });
      try {
        const first = await client.get('/a', { headers: { 'if-none-match': '"v1"' } });
        expect(first.status).toBe(status);
        expect(first.headers.get('etag')).toBe('"v1"');
        expect(await first.body.text()).toBe('');
        const second = await client.get('/a');
        expect(await second.body.text()).toBe('fresh');
      } finally {
        await client.close();
      }
    },
  );
});
