import {
  AsyncQueue,
  createClient,
  createServer,
  logRequests,
  memory,
  ParleyError,
  passwordTable,
  respond,
} from '@parley/core';
import { describe, expect, it } from 'vitest';

let next = 0;
const fresh = () => memory(`memory://server-test-${++next}`);

describe('Server', () => {
  it('answers a thrown ParleyError with its status and hides internal errors', async () => {
    const errors: string[] = [];
    const server = createServer(
      async (request) => {
        if (request.path === '/missing') throw new ParleyError('not_found', 'no such note');
        throw new Error('database password is hunter2');
      },
      { onError: (error) => errors.push(error.status) },
    );
    const listener = await server.listen(fresh());
    const client = createClient(memory(listener.url));
    const missing = await client.get('/missing');
    expect(missing.status).toBe('not_found');
    expect(await missing.body.text()).toBe('no such note');
    const broken = await client.get('/broken');
    expect(broken.status).toBe('internal');
    expect(await broken.body.text()).toBe('Internal error');
    expect(errors).toEqual(['not_found', 'internal']);
    await server.close();
  });

  it('reports its lifecycle and refuses to listen after close', async () => {
    const server = createServer(async () => respond('ok'));
    expect(server.state).toBe('idle');
    await server.listen(fresh());
    expect(server.ready).toBe(true);
    const closing = server.close();
    expect(server.close()).toBe(closing);
    await closing;
    expect(server.state).toBe('closed');
    await expect(server.listen(fresh())).rejects.toMatchObject({ status: 'unavailable' });
  });

  it('serves one service on several transports at once', async () => {
    const server = createServer(async (request) => respond('ok', request.peer.protocol));
    const one = await server.listen(fresh());
    const two = await server.listen(fresh());
    expect(server.listeners).toHaveLength(2);
    for (const url of [one.url, two.url]) {
      expect(await (await createClient(memory(url)).get('/')).body.text()).toBe('memory');
    }
    await server.close();
  });

  it('publishes events to subscribers of matching paths', async () => {
    const server = createServer(async () => respond('ok'));
    const listener = await server.listen(fresh());
    const client = createClient(memory(listener.url));
    const controller = new AbortController();
    const events = client.subscribe('/notes/:name', { signal: controller.signal });
    await server.publish('/other/x', 'ignored');
    await server.publish('/notes/a.txt', 'created', { 'x-kind': 'put' });
    for await (const event of events) {
      expect(event.path).toBe('/notes/a.txt');
      expect(event.headers.get('x-kind')).toBe('put');
      expect(await event.body.text()).toBe('created');
      break;
    }
    await server.close();
  });
});

describe('logRequests', () => {
  it('writes one line per request with protocol, method, path, status, duration and user', async () => {
    const lines: string[] = [];
    const server = createServer(async () => respond('created'), {
      middleware: [logRequests({ write: (line) => lines.push(line), timestamps: false })],
      authenticate: passwordTable({ ann: 'pw' }),
    });
    const listener = await server.listen(fresh());
    const url = new URL(listener.url);
    url.username = 'ann';
    url.password = 'pw';
    await createClient(memory(url.href)).put('/notes/a', 'x');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^memory PUT \/notes\/a created \d+\.\dms user=ann$/);
    await server.close();
  });
});

describe('AsyncQueue', () => {
  it('hands items to a reader in order, drops the oldest beyond its bound, and ends', async () => {
    const queue = new AsyncQueue<number>({ maxItems: 2 });
    queue.push(1);
    queue.push(2);
    queue.push(3);
    queue.end();
    const seen: number[] = [];
    for await (const item of queue) seen.push(item);
    expect(seen).toEqual([2, 3]);
  });

  it('ends when its signal aborts and runs onEnd once', async () => {
    let ended = 0;
    const controller = new AbortController();
    const queue = new AsyncQueue<number>({ signal: controller.signal, onEnd: () => ended++ });
    setTimeout(() => controller.abort(), 10);
    for await (const _ of queue) throw new Error('no items expected');
    queue.end();
    expect(ended).toBe(1);
  });
});

describe('passwordTable', () => {
  it('accepts the right password only', async () => {
    const check = passwordTable({ ann: 'pw' });
    const peer = { protocol: 'test' };
    expect(await check({ kind: 'password', username: 'ann', password: 'pw' }, peer)).toEqual({ name: 'ann' });
    expect(await check({ kind: 'password', username: 'ann', password: 'px' }, peer)).toBeNull();
    expect(await check({ kind: 'password', username: 'toString', password: '' }, peer)).toBeNull();
    expect(await check({ kind: 'token', token: 'pw' }, peer)).toBeNull();
  });
});
