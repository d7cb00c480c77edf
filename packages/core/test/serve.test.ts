/**
 * Serving a request with a response sink: the server's `serve` (one promise reaction per
 * request) and the kit's `serveRequest`, which falls back to `handle` for contexts without it.
 */
import {
  createRequest,
  createRouter,
  createServer,
  type ListenContext,
  type Response,
  respond,
} from '@parley/core';
import { serveRequest } from '@parley/core/transport';
import { describe, expect, it } from 'vitest';
import { contextOf } from './listen-context.js';

function sink(): { respond(response: Response): void; answered: Promise<Response> } {
  let resolve: (response: Response) => void = () => {};
  const answered = new Promise<Response>((done) => {
    resolve = done;
  });
  return { respond: (response) => resolve(response), answered };
}

describe('ListenContext.serve', () => {
  it('hands the response to the sink and counts the request in flight until then', async () => {
    let release: () => void = () => {};
    const router = createRouter().get('/slow', async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return respond('ok', 'done');
    });
    const server = createServer(router);
    const context = await contextOf(server);
    const target = sink();
    context.serve?.(createRequest({ method: 'GET', path: '/slow' }), target);
    await expect.poll(() => server.inFlight).toBe(1);
    release();
    const response = await target.answered;
    expect(await response.body.text()).toBe('done');
    expect(server.inFlight).toBe(0);
  });

  it('answers a failing handler with its status, reports it, and still counts it out', async () => {
    const errors: unknown[] = [];
    const thrower = (() => {
      throw new Error('boom');
    }) as unknown as () => Promise<never>;
    const router = createRouter().get('/sync', thrower);
    router.get('/async', async () => {
      throw new Error('later');
    });
    const server = createServer(router, { onError: (error) => errors.push(error) });
    const context = await contextOf(server);
    for (const path of ['/sync', '/async']) {
      const target = sink();
      context.serve?.(createRequest({ method: 'GET', path }), target);
      const response = await target.answered;
      expect(response.status).toBe('internal');
      expect(await response.body.text()).toBe('Internal error');
    }
    expect(errors).toHaveLength(2);
    expect(server.inFlight).toBe(0);
  });

  it('answers even when the error hook itself throws', async () => {
    const router = createRouter().get('/x', async () => {
      throw new Error('boom');
    });
    const server = createServer(router, {
      onError: () => {
        throw new Error('hook');
      },
    });
    const context = await contextOf(server);
    const target = sink();
    context.serve?.(createRequest({ method: 'GET', path: '/x' }), target);
    expect((await target.answered).status).toBe('internal');
    expect((await context.handle(createRequest({ method: 'GET', path: '/x' }))).status).toBe('internal');
  });

  it('reports what a sink throws to the transport error hook', async () => {
    const reported: string[] = [];
    const server = createServer(
      createRouter().get('/x', async () => respond('ok')),
      {
        onError: (error, request, context) => {
          if (request === undefined) reported.push(`${context}: ${error.message}`);
        },
      },
    );
    const context = await contextOf(server);
    context.serve?.(createRequest({ method: 'GET', path: '/x' }), {
      respond: () => {
        throw new Error('cannot write');
      },
    });
    await expect.poll(() => reported).toEqual(['answering a request: cannot write']);
  });
});

describe('serveRequest', () => {
  it('uses serve when the context has it', async () => {
    const context = await contextOf(createServer(createRouter().get('/a', async () => respond('ok', 'a'))));
    const target = sink();
    serveRequest(context, createRequest({ method: 'GET', path: '/a' }), target);
    expect(await (await target.answered).body.text()).toBe('a');
  });

  it('falls back to handle, answering a rejection as its status', async () => {
    const base = { allows: () => 'ok' as const };
    const fine: ListenContext = { ...base, handle: async () => respond('created') };
    const failing: ListenContext = {
      ...base,
      handle: async () => {
        throw new Error('nope');
      },
    };
    const first = sink();
    serveRequest(fine, createRequest({ method: 'PUT', path: '/a' }), first);
    expect((await first.answered).status).toBe('created');
    const second = sink();
    serveRequest(failing, createRequest({ method: 'PUT', path: '/a' }), second);
    expect((await second.answered).status).toBe('internal');
  });
});
