import { ParleyError, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { gate } from '../../../test/support/gate.js';
import { rawConnection, serveEach, statusCode } from './helpers.js';

const start = serveEach();

describe('server limits', () => {
  it('answers 413 to a declared Content-Length over maxBodyBytes at once, without reading the body', async () => {
    let calls = 0;
    const { port } = await start(
      async () => {
        calls++;
        return respond('ok');
      },
      { maxBodyBytes: 1000 },
    );
    const conn = await rawConnection(
      port,
      'PUT /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nonly a start',
    );
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(413);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(raw).toContain('larger than the limit of 1000 bytes');
    expect(calls).toBe(0);
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    const { port } = await start(
      async (request) => respond('ok', `${(await request.body.bytes()).byteLength}`),
      {
        maxBodyBytes: 1000,
      },
    );
    const conn = await rawConnection(
      port,
      `PUT /fits HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n${'a'.repeat(1000)}`,
    );
    const raw = await conn.waitFor('\r\n\r\n1000');
    expect(statusCode(raw)).toBe(200);
    conn.socket.destroy();
  });

  it('answers 413 as soon as a chunked body grows past maxBodyBytes; the handler sees too_large', async () => {
    let seen: string | undefined;
    const { port } = await start(
      async (request) => {
        try {
          await request.body.bytes();
          seen = 'read';
        } catch (error) {
          seen = ParleyError.from(error).status;
          throw error;
        }
        return respond('ok');
      },
      { maxBodyBytes: 1000 },
    );
    const chunk = (size: number): string => `${size.toString(16)}\r\n${'b'.repeat(size)}\r\n`;
    const conn = await rawConnection(
      port,
      `POST /grow HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${chunk(600)}`,
    );
    conn.socket.write(chunk(600)); // crosses the limit; the body never ends
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(413);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(seen).toBe('too_large');
  });

  it('answers 408 and closes when the header block does not arrive within headersTimeoutMs', async () => {
    const { port } = await start(async () => respond('ok'), { headersTimeoutMs: 200 });
    const conn = await rawConnection(port, 'GET /slow HTTP/1.1\r\nHost: x\r\n');
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(408);
  });

  it('answers 408 and closes when the body does not arrive within requestTimeoutMs', async () => {
    let seen: string | undefined;
    const { port } = await start(
      async (request) => {
        await request.body.bytes().catch((error: unknown) => {
          seen = ParleyError.from(error).status;
        });
        return respond('ok');
      },
      { requestTimeoutMs: 300, headersTimeoutMs: 200 },
    );
    const conn = await rawConnection(
      port,
      'PUT /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789',
    );
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(408);
    await expect.poll(() => seen).toBeDefined();
    expect(seen).not.toBe('ok');
  });

  it('answers 431 to a header block over maxHeaderBytes', async () => {
    const { port } = await start(async () => respond('ok'), { maxHeaderBytes: 1024 });
    const conn = await rawConnection(
      port,
      `GET /h HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(4000)}\r\n\r\n`,
    );
    const raw = await conn.closed;
    expect(statusCode(raw)).toBe(431);
  });

  it('closes connections over maxConnections unanswered, and keeps serving the others', async () => {
    const { port } = await start(async () => respond('ok', 'hi'), { maxConnections: 1 });
    const first = await rawConnection(port, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await first.waitFor('\r\n\r\nhi');
    const extra = await rawConnection(port, 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await extra.closed).toBe('');
    first.socket.write('GET /c HTTP/1.1\r\nHost: x\r\n\r\n');
    const raw = await first.waitFor('hiHTTP/1.1 200');
    expect(raw.split('HTTP/1.1 200').length).toBe(3);
    first.socket.destroy();
  });
});

describe('server requests', () => {
  it('decodes each path segment and answers 400 to a bad escape or an encoded slash', async () => {
    const paths: string[] = [];
    const { port } = await start(async (request) => {
      paths.push(`${request.method} ${request.path} ${request.query.get('q') ?? ''}`);
      return respond('ok');
    });
    const ask = async (target: string): Promise<number> => {
      const conn = await rawConnection(
        port,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      return statusCode(await conn.closed);
    };
    expect(await ask('/notes/a%20b.txt?q=x%20y')).toBe(200);
    expect(await ask('/what%3F/x')).toBe(200);
    expect(await ask('/notes/')).toBe(200);
    expect(await ask('/bad%zz')).toBe(400);
    expect(await ask('/a%2Fb')).toBe(400);
    expect(await ask('/a%00b')).toBe(400);
    expect(await ask('/%2e%2e/%2e%2e/etc/passwd')).toBe(200);
    expect(paths).toEqual(['GET /notes/a b.txt x y', 'GET /what?/x ', 'LIST /notes/ ', 'GET /etc/passwd ']);
  });

  it('answers 501 with a readable reason to methods Parley does not carry, and 204 to OPTIONS', async () => {
    let calls = 0;
    const { port } = await start(async () => {
      calls++;
      return respond('ok');
    });
    const patch = await rawConnection(port, 'PATCH /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const raw = await patch.closed;
    expect(statusCode(raw)).toBe(501);
    expect(raw).toContain('PATCH is not carried');
    expect(raw.toLowerCase()).toContain('allow: get, head, put, post, delete, move, options');
    const options = await rawConnection(port, 'OPTIONS /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(statusCode(await options.closed)).toBe(204);
    expect(calls).toBe(0);
  });

  it("aborts the request's signal when the client goes away before the response", async () => {
    let aborted: string | undefined;
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const { port } = await start(async (request) => {
      entered();
      await new Promise<void>((resolve) =>
        request.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      aborted = ParleyError.from(request.signal.reason).status;
      return respond('ok');
    });
    const conn = await rawConnection(port, 'GET /wait HTTP/1.1\r\nHost: x\r\n\r\n');
    await inHandler;
    conn.socket.destroy();
    await expect.poll(() => aborted).toBe('cancelled');
  });

  it('stopAccepting closes idle keep-alive connections; an active one gets Connection: close', async () => {
    const held = gate();
    const { server, port } = await start(async (request) => {
      if (request.path === '/hold') await held.opened;
      return respond('ok', 'done');
    });
    const idle = await rawConnection(port, 'GET /quick HTTP/1.1\r\nHost: x\r\n\r\n');
    await idle.waitFor('done');
    const active = await rawConnection(port, 'GET /hold HTTP/1.1\r\nHost: x\r\n\r\n');
    await expect.poll(() => server.inFlight).toBe(1);
    const listener = server.listeners[0];
    await listener?.stopAccepting();
    await idle.closed;
    held.open();
    const raw = await active.closed;
    expect(statusCode(raw)).toBe(200);
    expect(raw.toLowerCase()).toContain('connection: close');
    expect(raw).toContain('done');
  });
});
