import { createClient, createRequest, createRouter, ParleyError, type Request, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countAbortControllers } from '../../../test/support/abort-controllers.js';
import { eventually } from '../../../test/support/eventually.js';
import { serveEach } from './helpers.js';

const serve = serveEach();

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A GET whose signal counts how often it is made. */
function countedRequest(path: string, make: () => AbortSignal): { request: Request; made: () => number } {
  let made = 0;
  const request = createRequest({
    method: 'GET',
    path,
    signal: () => {
      made++;
      return make();
    },
  });
  return { request, made: () => made };
}

/** A router whose `/wait` answers only once its request's signal aborts, recording the reasons. */
function waitingRouter(reasons: unknown[]) {
  return createRouter()
    .get('/quick', async () => respond('ok', 'done'))
    .get('/wait', async (request) => {
      await new Promise<void>((resolve) =>
        request.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
      reasons.push(request.signal.reason);
      return respond('ok', 'late');
    });
}

describe("a call's signal on the client", () => {
  it('is never made for calls of the core client: their deadline is watched without one', async () => {
    const { url } = await serve(waitingRouter([]));
    const client = createClient(ws(url), { retries: 0 });
    try {
      await (await client.get('/quick')).body.text();
      const made = countAbortControllers();
      for (let i = 0; i < 20; i++) expect(await (await client.get('/quick')).body.text()).toBe('done');
      expect(made()).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('cancels the call on the server when the caller aborts', async () => {
    const reasons: unknown[] = [];
    const { url } = await serve(waitingRouter(reasons));
    const client = createClient(ws(url), { retries: 0 });
    try {
      const controller = new AbortController();
      const call = client.get('/wait', { signal: controller.signal });
      await (await client.get('/quick')).body.text(); // the slow call has reached the server
      controller.abort();
      await expect(call).rejects.toMatchObject({ status: 'cancelled' });
      await eventually(() => reasons.length === 1);
      expect(ParleyError.from(reasons[0]).status).toBe('cancelled');
    } finally {
      await client.close();
    }
  });

  it('cancels the call on the server when its deadline passes', async () => {
    const reasons: unknown[] = [];
    const { url } = await serve(waitingRouter(reasons));
    const client = createClient(ws(url), { retries: 0 });
    try {
      await expect(client.get('/wait', { timeoutMs: 50 })).rejects.toMatchObject({ status: 'timeout' });
      await eventually(() => reasons.length === 1);
      // The server's own clock of the caller's deadline, or the CANCEL frame: whichever came first.
      expect(['cancelled', 'timeout']).toContain(ParleyError.from(reasons[0]).status);
      expect(await (await client.get('/quick')).body.text()).toBe('done');
    } finally {
      await client.close();
    }
  });

  it('is read for a request of another maker: one aborted before sending fails it, and nothing is sent', async () => {
    const reasons: unknown[] = [];
    const { url } = await serve(waitingRouter(reasons));
    const connector = ws(url).connect();
    try {
      const { request, made } = countedRequest('/wait', () => AbortSignal.abort());
      await expect(connector.send(request)).rejects.toSatisfy(
        (error) => ParleyError.from(error).status === 'cancelled',
      );
      expect(made()).toBe(1);
      const quick = await connector.send(createRequest({ method: 'GET', path: '/quick' }));
      expect(await quick.body.text()).toBe('done');
      expect(reasons).toEqual([]);
    } finally {
      await connector.close();
    }
  });

  it('is read for a request of another maker: aborting it later cancels the call on the server', async () => {
    const reasons: unknown[] = [];
    const { url } = await serve(waitingRouter(reasons));
    const connector = ws(url).connect();
    try {
      const controller = new AbortController();
      const { request, made } = countedRequest('/wait', () => controller.signal);
      const call = connector.send(request);
      await (await connector.send(createRequest({ method: 'GET', path: '/quick' }))).body.text();
      controller.abort();
      await expect(call).rejects.toSatisfy((error) => ParleyError.from(error).status === 'cancelled');
      expect(made()).toBe(1);
      await eventually(() => reasons.length === 1);
      expect(ParleyError.from(reasons[0]).status).toBe('cancelled');
    } finally {
      await connector.close();
    }
  });
});
