import {
  Body,
  createClient,
  createRouter,
  createServer,
  ParleyError,
  type Request,
  respond,
} from '@parley/core';
import { http } from '@parley/http';
import { END, FRAME, ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { decodeFrame, decodeHeadPayload, encodeHeadFrame } from '../src/wire/frame.js';
import { rawSocket, serveEach } from './helpers.js';

const serve = serveEach();

/** A handler that waits for its signal and records why it aborted. */
function waiter(reasons: unknown[]) {
  return async (request: Request) => {
    await new Promise<void>((resolve) =>
      request.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    reasons.push(request.signal.reason);
    return respond('ok', 'late');
  };
}

describe('requests on one connection', () => {
  it('carries many requests in flight at once, each answered on its own stream', async () => {
    let inFlight = 0;
    let most = 0;
    const { url } = await serve(
      createRouter().post('/echo/:n', async (request) => {
        most = Math.max(most, ++inFlight);
        const text = await request.body.text();
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return respond('ok', `${request.params.n}:${text}`, { 'x-n': request.params.n });
      }),
    );
    await using client = createClient(ws(url));
    const answers = await Promise.all(
      Array.from({ length: 64 }, async (_, n) => {
        const response = await client.post(`/echo/${n}`, `body ${n}`.repeat(n * 100 + 1));
        return { text: await response.body.text(), header: response.headers.get('x-n') };
      }),
    );
    answers.forEach((answer, n) => {
      expect(answer.text).toBe(`${n}:${`body ${n}`.repeat(n * 100 + 1)}`);
      expect(answer.header).toBe(String(n));
    });
    expect(most).toBeGreaterThan(1);
  });

  it('sends CANCEL when the caller aborts: the server request signal aborts with `cancelled`', async () => {
    const reasons: unknown[] = [];
    const { url } = await serve(createRouter().get('/wait', waiter(reasons)));
    await using client = createClient(ws(url), { retries: 0 });
    const controller = new AbortController();
    const call = client.get('/wait', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(call).rejects.toSatisfy((error) => ParleyError.from(error).status === 'cancelled');
    await eventually(() => reasons.length === 1);
    expect(ParleyError.from(reasons[0]).status).toBe('cancelled');
  });

  it("carries the caller's deadline: the server aborts the request when it passes", async () => {
    const reasons: unknown[] = [];
    let deadline: number | undefined;
    const { url } = await serve(
      createRouter().get('/wait', async (request) => {
        deadline = request.deadline;
        return waiter(reasons)(request);
      }),
    );
    // A hand-written client that sends the deadline and never cancels.
    const { socket } = await rawSocket(url);
    const sent = Date.now();
    socket.send(encodeHeadFrame(FRAME.HEADERS, 1, { method: 'GET', path: '/wait', timeout: 300 }));
    await eventually(() => reasons.length === 1);
    expect(ParleyError.from(reasons[0]).status).toBe('timeout');
    expect(deadline).toBeGreaterThanOrEqual(sent + 300);
    expect(deadline).toBeLessThan(sent + 5_000);
    socket.close();
  });

  it('stops reading a response body the caller cancels, without breaking the connection', async () => {
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 100_000; i++) yield new Uint8Array(64 * 1024);
    }
    const { url } = await serve(
      createRouter()
        .get('/endless', async () => respond('ok', Body.from(endless())))
        .get('/small', async () => respond('ok', 'small')),
    );
    await using client = createClient(ws(url));
    const response = await client.get('/endless');
    let read = 0;
    for await (const chunk of response.body) {
      read += chunk.byteLength;
      if (read > 2 * 1024 * 1024) break;
    }
    expect(await (await client.get('/small')).body.text()).toBe('small');
  });

  it('answers a malformed head on its stream with `bad_request`, and closes on a broken frame', async () => {
    const { url } = await serve(createRouter().get('/x', async () => respond('ok')));
    const { socket, frames, closed } = await rawSocket(url);
    socket.send(encodeHeadFrame(FRAME.HEADERS, 7, { method: 'FETCH', path: '/x' }));
    await eventually(() => frames.length === 1);
    const frame = decodeFrame(frames[0] as Buffer);
    expect(frame).toMatchObject({ type: FRAME.HEADERS, id: 7, end: true });
    expect(decodeHeadPayload(frame.payload).head).toEqual({ status: 'bad_request' });
    socket.send(Buffer.from([FRAME.HEADERS | END, 0, 0]));
    expect(await closed).toBe(1002);
  });
});

describe('events', () => {
  it('pushes server events to matching subscriptions, and relays events clients publish', async () => {
    const { server, url } = await serve(createRouter());
    await using watcher = createClient(ws(url));
    await using publisher = createClient(ws(url));
    const controller = new AbortController();
    const received: string[] = [];
    const done = (async () => {
      for await (const event of watcher.subscribe('/notes/*', { signal: controller.signal })) {
        received.push(`${event.path} ${await event.body.text()} ${event.headers.get('x-kind')}`);
        if (received.length === 2) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await server.publish('/other/a', 'ignored');
    await server.publish('/notes/a', 'from server', { 'x-kind': 'server' });
    await publisher.publish('/notes/b', 'from client', { headers: { 'x-kind': 'client' } });
    await done;
    expect(received).toEqual(['/notes/a from server server', '/notes/b from client client']);
  });
});

describe('sharing an HTTP listener port', () => {
  it('serves HTTP and WebSocket on one port, and closes both', async () => {
    const router = createRouter().get('/hello', async (request) =>
      respond('ok', `hi over ${request.peer.protocol}`),
    );
    const server = createServer(router);
    const web = await server.listen(http('http://127.0.0.1:0'));
    const socket = await server.listen(ws('ws://ignored:1/parley', { attachTo: web }));
    const port = new URL(web.url).port;
    expect(socket.url).toBe(`ws://127.0.0.1:${port}/parley`);
    const overWs = createClient(ws(socket.url));
    const overHttp = createClient(http(web.url));
    expect(await (await overWs.get('/hello')).body.text()).toBe('hi over ws');
    expect(await (await overHttp.get('/hello')).body.text()).toBe('hi over http');
    await server.close({ timeoutMs: 2000 });
    await expect(overWs.get('/hello', { timeoutMs: 2000 })).rejects.toBeInstanceOf(ParleyError);
    await overWs.close();
    await overHttp.close();
  });
});

describe('graceful close', () => {
  it('lets a response body in flight finish after the handler returned', async () => {
    const size = 4 * 1024 * 1024;
    async function* slowly(): AsyncGenerator<Uint8Array> {
      for (let sent = 0; sent < size; sent += 256 * 1024) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        yield new Uint8Array(256 * 1024).fill(1);
      }
    }
    const { server, url } = await serve(
      createRouter().get('/big', async () => respond('ok', Body.from(slowly()))),
    );
    await using client = createClient(ws(url));
    const response = await client.get('/big');
    const closing = server.close({ timeoutMs: 10_000 });
    let read = 0;
    for await (const chunk of response.body) {
      read += chunk.byteLength;
    }
    await closing;
    expect(read).toBe(size);
  });
});
