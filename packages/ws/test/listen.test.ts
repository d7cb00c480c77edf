import { createServer, respond } from '@parley/core';
import { http } from '@parley/http';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';

describe('listening', () => {
  it('refuses an address in use with conflict, naming it, for HTTP and WebSocket alike', async () => {
    const first = createServer(async () => respond('ok'));
    const second = createServer(async () => respond('ok'));
    try {
      const taken = new URL((await first.listen(http('http://127.0.0.1:0'))).url);
      const inUse = {
        status: 'conflict',
        message: expect.stringMatching(/127\.0\.0\.1:\d+: the address is in use/),
      };
      await expect(second.listen(http(`http://127.0.0.1:${taken.port}`))).rejects.toMatchObject(inUse);
      await expect(second.listen(ws(`ws://127.0.0.1:${taken.port}/parley`))).rejects.toMatchObject(inUse);
    } finally {
      await first.close({ timeoutMs: 500 });
      await second.close({ timeoutMs: 500 });
    }
  });

  it("gives a listener its transport's URL with the real port", async () => {
    const server = createServer(async () => respond('ok'));
    try {
      const plain = await server.listen(http('http://127.0.0.1:0'));
      expect(plain.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const endpoint = await server.listen(ws('ws://127.0.0.1:0/parley'));
      expect(endpoint.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/parley$/);
    } finally {
      await server.close({ timeoutMs: 500 });
    }
  });
});
