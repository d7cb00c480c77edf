import { createRequest, createRouter, ParleyError, type Request, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { AbortWatch } from '../src/client/abort-watch.js';
import { serveEach } from './helpers.js';

const serve = serveEach();

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

describe("a call's signal on the client", () => {
  it('is not made for a call answered before the watch sweeps, nor by the sweep after it', async () => {
    const { url } = await serve(createRouter().get('/quick', async () => respond('ok', 'done')));
    const connector = ws(url).connect();
    try {
      await (await connector.send(createRequest({ method: 'GET', path: '/quick' }))).body.text();
      // The watch's timer stands still until advanced, however slow the machine.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const calls = Array.from({ length: 20 }, () =>
        countedRequest('/quick', () => new AbortController().signal),
      );
      for (const { request } of calls) {
        const response = await connector.send(request);
        expect(await response.body.text()).toBe('done');
      }
      expect(calls.map(({ made }) => made())).toEqual(calls.map(() => 0));
      vi.advanceTimersByTime(100);
      expect(calls.map(({ made }) => made())).toEqual(calls.map(() => 0));
    } finally {
      vi.useRealTimers();
      await connector.close();
    }
  });

  it('is watched once a call is slow: a signal aborted before then still cancels it on the server', async () => {
    const reasons: unknown[] = [];
    const { url } = await serve(
      createRouter().get('/wait', async (request) => {
        await new Promise<void>((resolve) =>
          request.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
        reasons.push(request.signal.reason);
        return respond('ok', 'late');
      }),
    );
    const connector = ws(url).connect();
    try {
      const { request, made } = countedRequest('/wait', () => AbortSignal.abort());
      await expect(connector.send(request)).rejects.toSatisfy(
        (error) => ParleyError.from(error).status === 'cancelled',
      );
      expect(made()).toBe(1);
      await eventually(() => reasons.length === 1);
      expect(ParleyError.from(reasons[0]).status).toBe('cancelled');
    } finally {
      await connector.close();
    }
  });
});

/** Calls in flight for an AbortWatch under test: watching one records it and marks it watched. */
function watchedCalls() {
  const inFlight = new Map<string, { born: number; signal: AbortSignal | undefined }>();
  const watched: string[] = [];
  const watch = new AbortWatch(
    10,
    () => inFlight.values(),
    (call) => {
      const name = [...inFlight].find(([, each]) => each === call)?.[0] ?? '?';
      watched.push(name);
      call.signal = new AbortController().signal;
    },
  );
  const send = (name: string): void => {
    inFlight.set(name, { born: watch.stamp(), signal: undefined });
  };
  return { inFlight, watched, watch, send };
}

describe('AbortWatch', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('watches each call still in flight once, between one delay and two after it was sent', () => {
    vi.useFakeTimers();
    const { inFlight, watched, send } = watchedCalls();
    send('a');
    vi.advanceTimersByTime(5);
    send('b');
    send('done early');
    vi.advanceTimersByTime(5);
    inFlight.delete('done early');
    expect(watched).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(watched).toEqual(['a', 'b']);
    send('c');
    vi.advanceTimersByTime(9);
    expect(watched).toEqual(['a', 'b']);
    vi.advanceTimersByTime(11);
    expect(watched).toEqual(['a', 'b', 'c']);
    vi.advanceTimersByTime(100);
    expect(watched).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops sweeping when cleared', () => {
    vi.useFakeTimers();
    const { watched, watch, send } = watchedCalls();
    send('a');
    vi.advanceTimersByTime(10);
    watch.clear();
    vi.advanceTimersByTime(100);
    expect(watched).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
