import { type Request, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { rawConnection, serveEach } from './helpers.js';

const start = serveEach();

describe("the server request's signal", () => {
  it('belongs to one exchange: a request answered earlier on a keep-alive connection never aborts', async () => {
    const seen: Request[] = [];
    const { port } = await start(async (request) => {
      seen.push(request);
      // Read during the exchange: the signal is made and watches the connection.
      expect(request.signal.aborted).toBe(false);
      return respond('ok', request.path);
    });
    const conn = await rawConnection(port, 'GET /one HTTP/1.1\r\nHost: x\r\n\r\n');
    await conn.waitFor('/one');
    conn.socket.write('GET /two HTTP/1.1\r\nHost: x\r\n\r\n');
    await conn.waitFor('/two');
    conn.socket.destroy();
    await conn.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.map((request) => request.path)).toEqual(['/one', '/two']);
    expect(seen.map((request) => request.signal.aborted)).toEqual([false, false]);
  });

  it('aborts for every pipelined request still in flight when the client goes away', async () => {
    const aborted: string[] = [];
    let entered = 0;
    const { port } = await start(async (request) => {
      entered++;
      await new Promise<void>((resolve) => {
        request.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      aborted.push(request.path);
      return respond('ok');
    });
    const conn = await rawConnection(
      port,
      'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    await expect.poll(() => entered).toBe(2);
    conn.socket.destroy();
    await expect.poll(() => [...aborted].sort()).toEqual(['/a', '/b']);
  });

  it('is made only once, and is the same through copies the router makes', async () => {
    const signals = new Set<AbortSignal>();
    const { url } = await start(async (request) => {
      signals.add(request.signal);
      signals.add(request.signal);
      signals.add({ ...request }.signal);
      return respond('ok');
    });
    const response = await fetch(`${url}notes/a`);
    expect(response.status).toBe(200);
    expect(signals.size).toBe(1);
  });
});
