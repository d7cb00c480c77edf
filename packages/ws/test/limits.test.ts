import { connect } from 'node:net';
import { createClient, createRouter, ParleyError, passwordTable, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually } from '../../../test/support/eventually.js';
import { serveEach, upgradeStatus } from './helpers.js';

const serve = serveEach();
const router = () =>
  createRouter()
    .get('/hello', async () => respond('ok', 'hello'))
    .get('/slow', async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return respond('ok', request.path);
    })
    .put('/sink', async (request) => respond('ok', String((await request.body.bytes()).byteLength)));
const statusOf = async (call: Promise<{ status: string }>): Promise<string> =>
  call.then(
    (response) => response.status,
    (error: unknown) => ParleyError.from(error).status,
  );

describe('origin', () => {
  it('accepts no Origin and the same host, refuses another origin with 403', async () => {
    const { url } = await serve(router());
    const host = new URL(url).host;
    expect((await upgradeStatus(url)).code).toBe(101);
    expect((await upgradeStatus(url, { origin: `http://${host}` })).code).toBe(101);
    expect((await upgradeStatus(url, { origin: 'https://evil.example' })).code).toBe(403);
  });

  it('accepts the origins of the allow-list only', async () => {
    const { url } = await serve(router(), { origins: ['https://app.example'] });
    expect((await upgradeStatus(url, { origin: 'https://app.example' })).code).toBe(101);
    expect((await upgradeStatus(url, { origin: `http://${new URL(url).host}` })).code).toBe(403);
  });
});

describe('authentication on upgrade', () => {
  it('takes Basic credentials from the URL, refuses others with 401 (`unauthenticated`)', async () => {
    const { url } = await serve(router(), {}, { authenticate: passwordTable({ alice: 's3cret' }) });
    const good = new URL(url);
    good.username = 'alice';
    good.password = 's3cret';
    await using client = createClient(ws(good.href));
    expect((await client.get('/hello')).status).toBe('ok');
    expect((await upgradeStatus(url)).code).toBe(401);
    await using anonymous = createClient(ws(url), { retries: 0 });
    expect(await statusOf(anonymous.get('/hello'))).toBe('unauthenticated');
  });

  it('answers a throttled authentication 429 with Retry-After', async () => {
    const authenticate = () => {
      throw Object.assign(new ParleyError('too_many_requests', 'Slow down'), { retryAfterMs: 2500 });
    };
    const { url } = await serve(router(), {}, { authenticate });
    const refused = await upgradeStatus(url, { authorization: 'Basic YTpi' });
    expect(refused.code).toBe(429);
    expect(refused.headers['retry-after']).toBe('3');
    const withCredentials = new URL(url);
    withCredentials.username = 'a';
    withCredentials.password = 'b';
    await using client = createClient(ws(withCredentials.href), { retries: 0 });
    expect(await statusOf(client.get('/hello'))).toBe('too_many_requests');
  });
});

describe('limits', () => {
  it('answers requests past maxInFlight with `too_many_requests`', async () => {
    const { url } = await serve(router(), { maxInFlight: 2 });
    await using client = createClient(ws(url), { retries: 0 });
    const statuses = await Promise.all([1, 2, 3].map(() => statusOf(client.get('/slow'))));
    expect(statuses.sort()).toEqual(['ok', 'ok', 'too_many_requests']);
  });

  it('answers a body past maxBodyBytes with `too_large`, declared or streamed', async () => {
    const { url } = await serve(router(), { maxBodyBytes: 1000 });
    await using client = createClient(ws(url), { retries: 0 });
    expect(await statusOf(client.put('/sink', new Uint8Array(1000)))).toBe('ok');
    expect(await statusOf(client.put('/sink', new Uint8Array(1001)))).toBe('too_large');
    async function* chunks() {
      for (let i = 0; i < 100; i++) yield new Uint8Array(100);
    }
    expect(await statusOf(client.put('/sink', chunks()))).toBe('too_large');
    expect(await statusOf(client.get('/hello'))).toBe('ok');
  });

  it('closes a connection whose frame is over maxPayload with 1009 (`too_large`)', async () => {
    const { url } = await serve(router(), { maxPayload: 4096 });
    await using client = createClient(ws(url), { retries: 0 });
    const headers = { 'x-big': 'x'.repeat(8192) };
    expect(await statusOf(client.get('/hello', { headers }))).toBe('too_large');
    expect(await statusOf(client.get('/hello'))).toBe('ok');
  });

  it('refuses connections past maxConnectionsPerAddress (429) and maxConnections (503)', async () => {
    const perAddress = await serve(router(), { maxConnectionsPerAddress: 1 });
    await using first = createClient(ws(perAddress.url));
    await (await first.get('/hello')).body.text();
    expect((await upgradeStatus(perAddress.url)).code).toBe(429);
    const total = await serve(router(), { maxConnections: 1 });
    await using one = createClient(ws(total.url));
    await (await one.get('/hello')).body.text();
    expect((await upgradeStatus(total.url)).code).toBe(503);
  });

  it('closes an idle connection after idleTimeoutMs; the client reconnects on its next call', async () => {
    const { url } = await serve(router(), { idleTimeoutMs: 200 });
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    expect(await closed).toBe(1000);
    await using client = createClient(ws(url));
    expect((await client.get('/hello')).status).toBe('ok');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await client.get('/hello')).status).toBe('ok');
  });

  it('cuts off a connection that does not finish its upgrade within handshakeTimeoutMs', async () => {
    const { url } = await serve(router(), { handshakeTimeoutMs: 300 });
    const peer = halfHeadPeer(url);
    await eventually(() => peer.closed());
  });

  it('answers 408 before cutting off when Node.js checks the head first', async () => {
    const { url } = await serve(router(), { handshakeTimeoutMs: 300 });
    const peer = halfHeadPeer(url);
    await peer.connected;
    // Lets the server accept the connection and read the half head.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Busy past the deadline: both of the server's handshake timers are then due at once, and
    // Node.js's check of request heads (which answers 408 before closing) runs before the
    // connection's own timeout (which closes without a word).
    const busyUntil = Date.now() + 500;
    while (Date.now() < busyUntil);
    await eventually(() => peer.closed());
    expect(peer.received()).toMatch(/^HTTP\/1\.1 408 /);
  });
});

/**
 * A peer that sends half an upgrade request and reads whatever comes back: a peer that does not
 * read never sees the end of a connection cut off after an answer (the answer's bytes wait
 * unread before the end).
 */
function halfHeadPeer(url: string): {
  connected: Promise<void>;
  received: () => string;
  closed: () => boolean;
} {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  const connected = new Promise<void>((resolve) => socket.once('connect', resolve));
  let received = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => undefined);
  socket.write('GET /parley HTTP/1.1\r\nHost: x\r\n');
  return { connected, received: () => received, closed: () => closed };
}
