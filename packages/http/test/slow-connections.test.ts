import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { createServer, respond } from '@parley/core';
import { HTTP_DEFAULTS, http } from '@parley/http';
import { afterEach, describe, expect, it } from 'vitest';
import { selfSignedCertificate } from '../../../test/support/tls.js';
import { rawConnection, serveEach, statusCode } from './helpers.js';

const start = serveEach();

/** Sockets a test opened; all destroyed after each test. */
const opened: Socket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
});

/** Opens a connection from `localAddress`; resolves once connected (or refused right away). */
function openFrom(port: number, localAddress: string): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  opened.push(socket);
  socket.on('error', () => {});
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(socket));
    socket.once('close', () => resolve(socket));
  });
}

/** Waits until `socket` closes. */
function closedSocket(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}

describe('slow and silent connections', () => {
  it('1,100 slow connections from one address do not lock out a client from another', async () => {
    const { port } = await start(async () => respond('ok', 'served'));
    const slow: Socket[] = [];
    // Open them in bounded batches; half drip a header block that never ends, half say nothing.
    for (let batch = 0; batch < 11; batch++) {
      const sockets = await Promise.all(Array.from({ length: 100 }, () => openFrom(port, '127.0.0.2')));
      sockets.forEach((socket, i) => {
        if (i % 2 === 0 && !socket.destroyed) socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n');
      });
      slow.push(...sockets);
    }
    const drip = setInterval(() => {
      slow.forEach((socket, i) => {
        if (i % 2 === 0 && !socket.destroyed) socket.write('X-Drip: 1\r\n');
      });
    }, 200);
    try {
      for (let i = 0; i < 5; i++) {
        const conn = await rawConnection(port, 'GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        const raw = await conn.closed;
        expect(statusCode(raw)).toBe(200);
        expect(raw).toContain('served');
      }
      // The server keeps at most its per-address share of them open.
      const open = (): number => slow.filter((socket) => !socket.destroyed).length;
      await expect
        .poll(open, { timeout: 10_000 })
        .toBeLessThanOrEqual(HTTP_DEFAULTS.maxConnectionsPerAddress);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes a new connection that sends nothing within firstRequestTimeoutMs', async () => {
    const { port } = await start(async () => respond('ok'), { firstRequestTimeoutMs: 200 });
    const silent = await openFrom(port, '127.0.0.1');
    await closedSocket(silent);
    expect(silent.bytesRead).toBe(0);
  });

  it('lifts that deadline once a request arrived: an idle keep-alive connection lasts keepAliveTimeoutMs', async () => {
    const { port } = await start(async () => respond('ok', 'hi'), {
      firstRequestTimeoutMs: 200,
      keepAliveTimeoutMs: 10_000,
    });
    const conn = await rawConnection(port, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    await conn.waitFor('\r\n\r\nhi');
    await new Promise((resolve) => setTimeout(resolve, 600));
    conn.socket.write('GET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    const raw = await conn.waitFor('hiHTTP/1.1 200');
    expect(raw.split('HTTP/1.1 200').length).toBe(3);
    conn.socket.destroy();
  });

  it('closes a TLS connection that never handshakes, and one that handshakes and says nothing', async () => {
    const { key, cert } = selfSignedCertificate();
    const server = createServer(async () => respond('ok'));
    try {
      const listener = await server.listen(
        http('https://127.0.0.1:0', { tls: { key, cert }, firstRequestTimeoutMs: 300 }),
      );
      const port = Number(new URL(listener.url).port);
      const raw = await openFrom(port, '127.0.0.1');
      await closedSocket(raw);
      const secure = connectTls({ port, host: '127.0.0.1', ca: cert, servername: 'localhost' });
      opened.push(secure);
      secure.on('error', () => {});
      await new Promise<void>((resolve) => secure.once('secureConnect', () => resolve()));
      await closedSocket(secure);
    } finally {
      await server.close({ timeoutMs: 500 });
    }
  });
});
