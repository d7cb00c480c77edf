import { createServer as createNetServer } from 'node:net';
import { createClient, type TraceEvent } from '@parley/core';
import { http } from '@parley/http';
import { describe, expect, it } from 'vitest';

describe("the HTTP client's trace", () => {
  it('shows the request head as it travels, the host field undici writes included', async () => {
    let wire = '';
    const server = createNetServer((socket) => {
      socket.once('data', (chunk: Buffer) => {
        wire = chunk.toString('latin1');
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const events: TraceEvent[] = [];
    const client = createClient(http(`http://127.0.0.1:${port}`), { trace: (event) => events.push(event) });
    try {
      const response = await client.get('/a', { headers: { accept: 'text/plain' } });
      expect(await response.body.text()).toBe('ok');
    } finally {
      await client.close();
      server.close();
    }
    const sent = events.filter((event) => event.direction === 'send').map((event) => event.summary);
    expect(sent.slice(0, 3)).toEqual(['GET /a HTTP/1.1', `host: 127.0.0.1:${port}`, 'accept: text/plain']);
    expect(wire).toMatch(new RegExp(`^GET /a HTTP/1\\.1\\r\\nhost: 127\\.0\\.0\\.1:${port}\\r\\n`));
  });
});
