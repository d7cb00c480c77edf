import { Body, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();

describe('a header value with CR, LF or NUL set by a handler', () => {
  it('does not split the response: 500 Internal Server Error, the body released, the connection usable', async () => {
    let released = 0;
    const { port } = await start(async (request) => {
      if (request.path === '/ok') return respond('ok', 'fine');
      const value = request.path === '/nul' ? 'a\u0000b' : 'a\r\nSet-Cookie: evil=1';
      const chunks = new ReadableStream<Uint8Array>({
        pull: (controller) => controller.enqueue(new TextEncoder().encode('body')),
        cancel: () => {
          released++;
        },
      });
      return respond('ok', Body.from(chunks), { 'x-echo': value });
    });
    for (const path of ['/crlf', '/nul']) {
      const connection = await rawConnection(
        port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      const text = await connection.waitFor('fine');
      connection.socket.destroy();
      expect(text.startsWith('HTTP/1.1 500 Internal Server Error\r\n')).toBe(true);
      expect(text.toLowerCase()).not.toContain('set-cookie');
      expect(text).toContain('HTTP/1.1 200 OK\r\n');
    }
    await expect.poll(() => released).toBe(2);
  });
});
