import { createServer as createNodeServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Body, createClient, createRequest, ParleyError } from '@parley/core';
import { digestStream, patternStream } from '@parley/core/conformance';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** What the plain server saw of the last request. */
let last: {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
} = {
  headers: {},
  body: Buffer.alloc(0),
};
const LARGE = 4 * 1024 * 1024;

/** The request targets the plain server received, in order of arrival. */
const arrived: string[] = [];

/** A plain node:http server with a few fixed behaviours, independent of Parley. */
function plain(req: IncomingMessage, res: ServerResponse): void {
  arrived.push(req.url ?? '');
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    last = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) };
    const [, kind, arg] = (req.url ?? '').split('/');
    if (kind === 'code') {
      res.writeHead(Number(arg), { 'x-kind': 'code' }).end(`code ${arg}`);
    } else if (kind === 'echo') {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'x-echo': String(req.headers['x-test']),
      });
      res.end(last.body);
    } else if (kind === 'large') {
      res.writeHead(200, { 'content-length': LARGE });
      const source = patternStream(LARGE);
      void (async () => {
        for await (const chunk of source)
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
        res.end();
      })();
    } else if (kind === 'hang') {
      // never answers
    } else if (kind === 'reset') {
      req.socket.destroy();
    } else {
      res.writeHead(200).end('plain');
    }
  });
}

let url = '';
const server = createNodeServer(plain);
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('client against a plain node:http server', () => {
  it('maps HTTP status codes to Parley statuses and keeps the body', async () => {
    await using client = createClient(http(url), { retries: 0 });
    const expected: Record<number, string> = {
      200: 'ok',
      201: 'created',
      204: 'no_content',
      400: 'bad_request',
      401: 'unauthenticated',
      404: 'not_found',
      409: 'conflict',
      413: 'too_large',
      418: 'bad_request',
      429: 'too_many_requests',
      500: 'internal',
      502: 'unavailable',
      503: 'unavailable',
      504: 'timeout',
    };
    for (const [code, status] of Object.entries(expected)) {
      const response = await client.get(`/code/${code}`);
      expect(response.status, code).toBe(status);
      expect(response.headers.get('x-kind')).toBe('code');
      expect(await response.body.text()).toBe(code === '204' ? '' : `code ${code}`);
    }
  });

  it('sends header fields, credentials from the URL as Basic, LIST as GET on a path ending in /', async () => {
    const target = new URL(url);
    target.username = 'al%20ice';
    target.password = 's3:cret';
    await using client = createClient(http(target.href));
    const response = await client.put('/echo/x', 'payload', { headers: { 'X-Test': 'abc' } });
    expect(response.headers.get('x-echo')).toBe('abc');
    expect(await response.body.text()).toBe('payload');
    expect(last.headers.authorization).toBe(`Basic ${Buffer.from('al ice:s3:cret').toString('base64')}`);
    expect(last.headers['content-length']).toBe('7');
    await (await client.list('/dir')).body.cancel();
    expect(last).toMatchObject({ method: 'GET', url: '/dir/' });
  });

  it('sends a token as Bearer and encodes path segments and the query', async () => {
    await using client = createClient(http(url, { token: 'tok-1' }));
    const connector = http(url, { token: 'tok-1' }).connect();
    try {
      const request = createRequest({ method: 'GET', path: '/a b/ä?x=1&y=a%20b' });
      await (await connector.send(request)).body.cancel();
      expect(last.url).toBe('/a%20b/%C3%A4?x=1&y=a+b');
      expect(last.headers.authorization).toBe('Bearer tok-1');
    } finally {
      await connector.close();
    }
    await (await client.get('/plain')).body.cancel();
  });

  it('streams a request body up and a response body down', async () => {
    await using client = createClient(http(url));
    const upload = await client.post('/echo/up', Body.from(patternStream(LARGE), LARGE));
    expect(await digestStream(upload.body)).toEqual(await digestStream(patternStream(LARGE)));
    expect(last.headers['content-length']).toBe(String(LARGE));
    const unsized = await client.post('/echo/chunked', Body.from(patternStream(100_000)));
    expect((await unsized.body.bytes()).byteLength).toBe(100_000);
    expect(last.headers['transfer-encoding']).toBe('chunked');
    const download = await client.get('/large/x');
    expect(download.body.size).toBe(LARGE);
    expect(await digestStream(download.body)).toEqual(await digestStream(patternStream(LARGE)));
  });

  it('fails with timeout when the server hangs, and cancelled when the caller aborts', async () => {
    await using client = createClient(http(url), { retries: 0 });
    await expect(client.get('/hang/x', { timeoutMs: 200 })).rejects.toSatisfy(
      (error) => error instanceof ParleyError && error.status === 'timeout',
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(client.get('/hang/y', { signal: controller.signal })).rejects.toSatisfy(
      (error) => error instanceof ParleyError && error.status === 'cancelled',
    );
    const after = await client.get('/plain');
    expect(await after.body.text()).toBe('plain');
  });

  it('never sends a call cancelled while it waits for a pooled connection', async () => {
    await using client = createClient(http(url, { connections: 1 }), { retries: 0 });
    const hanging = new AbortController();
    const first = client.get('/hang/busy', { signal: hanging.signal });
    const queued = new AbortController();
    const second = client.get('/plain/queued', { signal: queued.signal });
    await waitFor(() => arrived.includes('/hang/busy'));
    queued.abort();
    await expect(second).rejects.toSatisfy(
      (error) => error instanceof ParleyError && error.status === 'cancelled',
    );
    hanging.abort();
    await expect(first).rejects.toSatisfy(
      (error) => error instanceof ParleyError && error.status === 'cancelled',
    );
    expect(await (await client.get('/plain/after')).body.text()).toBe('plain');
    expect(arrived).not.toContain('/plain/queued');
  });

  it('returns a large body before it has all arrived, and cancelling it frees the connection', async () => {
    await using client = createClient(http(url, { connections: 1 }), { retries: 0 });
    const download = await client.get('/large/cut');
    const iterator = download.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect((first.value as Uint8Array).byteLength).toBeLessThan(LARGE);
    await iterator.return?.();
    expect(await (await client.get('/plain/next')).body.text()).toBe('plain');
  });

  it('fails with retryable unavailable when the server resets the connection or nothing listens', async () => {
    const connector = http(url).connect();
    try {
      const reset = connector.send(createRequest({ method: 'GET', path: '/reset/x' }));
      await expect(reset).rejects.toSatisfy(
        (error) => error instanceof ParleyError && error.status === 'unavailable' && error.retryable,
      );
    } finally {
      await connector.close();
    }
    const closed = createNodeServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = http(`http://127.0.0.1:${port}`).connect();
    try {
      await expect(nowhere.send(createRequest({ method: 'GET', path: '/' }))).rejects.toSatisfy(
        (error) => error instanceof ParleyError && error.status === 'unavailable' && error.retryable,
      );
    } finally {
      await nowhere.close();
    }
  });
});

/** Resolves once `check` holds, polling every few milliseconds. */
async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}
