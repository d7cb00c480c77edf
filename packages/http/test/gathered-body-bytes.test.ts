import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, describe, expect, it } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';

const servers: RawServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('gatheredBodyBytes', () => {
  it('0 returns a small response as its head arrives: the bytes before a stall can be read', async () => {
    const server = await startRawServer((socket) =>
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nhello12345'),
    );
    servers.push(server);
    await using client = createClient(http(server.url, { gatheredBodyBytes: 0 }), { retries: 0 });
    const stop = new AbortController();
    const response = await client.get('/small.txt', { signal: stop.signal });
    expect(response.status).toBe('ok');
    const reader = response.body.stream()[Symbol.asyncIterator]();
    const first = await reader.next();
    expect(Buffer.from(first.value as Uint8Array).toString()).toBe('hello12345');
    stop.abort();
    await reader.return?.();
  });

  it('is checked like every other amount', () => {
    expect(() => http('http://127.0.0.1:1', { gatheredBodyBytes: -1 })).toThrow(/gatheredBodyBytes/);
  });
});
