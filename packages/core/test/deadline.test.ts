import {
  createClient,
  createRequest,
  MEMORY_CONTRACT,
  ParleyError,
  type Request,
  type Response,
  respond,
} from '@parley/core';
import { Deadline, type Transport, watchAbort } from '@parley/core/transport';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countAbortControllers } from '../../../test/support/abort-controllers.js';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

/** Statuses of the failures each deadline's watcher got, in the order they came. */
function watched(deadlines: readonly Deadline[]): string[] {
  const seen: string[] = [];
  deadlines.forEach((deadline, index) => {
    deadline.watch((failure) => seen.push(`${index}:${failure.status}`));
  });
  return seen;
}

describe('Deadline', () => {
  it('shares one timer among the deadlines of one duration, and expires each in time', () => {
    vi.useFakeTimers();
    const first = Array.from({ length: 50 }, () => new Deadline(1000));
    vi.advanceTimersByTime(400);
    const second = Array.from({ length: 50 }, () => new Deadline(1000));
    expect(vi.getTimerCount()).toBe(1);
    const seen = watched([...first, ...second]);
    vi.advanceTimersByTime(599);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toHaveLength(50);
    expect(first.every((deadline) => deadline.failure?.status === 'timeout')).toBe(true);
    expect(second.some((deadline) => deadline.failure !== undefined)).toBe(false);
    vi.advanceTimersByTime(400);
    expect(seen).toHaveLength(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not expire a cleared deadline, and still expires the ones queued behind it', () => {
    vi.useFakeTimers();
    const early = new Deadline(1000);
    vi.advanceTimersByTime(100);
    const late = new Deadline(1000);
    const seen = watched([early, late]);
    early.clear();
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual(['1:timeout']);
    expect(early.failure).toBeUndefined();
  });

  it('expires deadlines of different durations each at its own time', () => {
    vi.useFakeTimers();
    const long = new Deadline(300);
    const short = new Deadline(100);
    const seen = watched([long, short]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual(['1:timeout']);
    vi.advanceTimersByTime(200);
    expect(seen).toEqual(['1:timeout', '0:timeout']);
  });

  it('sets its timer again through timer fakes installed after an earlier deadline set it', () => {
    const before = new Deadline(5000);
    before.clear();
    vi.useFakeTimers();
    const deadline = new Deadline(5000);
    const seen = watched([deadline]);
    vi.advanceTimersByTime(5000);
    expect(seen).toEqual(['0:timeout']);
  });

  it('tells watchers of a caller abort, at once when it already happened, and no more after clear', () => {
    const controller = new AbortController();
    const deadline = new Deadline(Number.POSITIVE_INFINITY, controller.signal);
    const seen: string[] = [];
    const stop = deadline.watch(() => seen.push('stopped'));
    deadline.watch((failure) => seen.push(failure.status));
    stop();
    controller.abort();
    expect(seen).toEqual(['cancelled']);
    deadline.watch((failure) => seen.push(`late ${failure.status}`));
    expect(seen).toEqual(['cancelled', 'late cancelled']);
    expect(deadline.signal.aborted).toBe(true);

    const cleared = new Deadline(Number.POSITIVE_INFINITY, controller.signal);
    expect(cleared.failure?.status).toBe('cancelled');
    const other = new AbortController();
    const quiet = new Deadline(10, other.signal);
    quiet.watch(() => seen.push('after clear'));
    quiet.clear();
    other.abort();
    expect(seen).toEqual(['cancelled', 'late cancelled']);
  });

  it('rejects a race at the deadline even if the work never settles', async () => {
    vi.useFakeTimers();
    const deadline = new Deadline(50);
    const race = expect(deadline.race(new Promise(() => {}))).rejects.toBeInstanceOf(ParleyError);
    await vi.advanceTimersByTimeAsync(50);
    await race;
  });
});

describe('Deadline.settle', () => {
  /** Makes a failure what the caller gets, marking it as explained. */
  const explain = (failure: ParleyError): ParleyError =>
    new ParleyError(failure.status, `explained: ${failure.message}`);

  it('resolves with the response of the work, and stops the clock', async () => {
    vi.useFakeTimers();
    const deadline = new Deadline(50);
    const seen: string[] = [];
    deadline.watch((failure) => seen.push(failure.status));
    const response = respond('ok', 'done');
    await expect(deadline.settle(Promise.resolve(response), explain)).resolves.toBe(response);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual([]);
  });

  it('rejects at the deadline even if the work never settles, with the failure explained', async () => {
    vi.useFakeTimers();
    const deadline = new Deadline(50);
    const settled = expect(deadline.settle(new Promise(() => {}), explain)).rejects.toMatchObject({
      status: 'timeout',
      message: 'explained: No answer within 50 ms',
    });
    await vi.advanceTimersByTimeAsync(50);
    await settled;
  });

  it('tells the watchers first when the caller aborts, then rejects with `cancelled`', async () => {
    const caller = new AbortController();
    const deadline = new Deadline(Number.POSITIVE_INFINITY, caller.signal);
    const seen: string[] = [];
    deadline.watch((failure) => seen.push(`watcher ${failure.status}`));
    const settled = deadline.settle(new Promise(() => {}), (failure) => {
      seen.push(`explain ${failure.status}`);
      return failure;
    });
    caller.abort();
    await expect(settled).rejects.toMatchObject({ status: 'cancelled' });
    expect(seen).toEqual(['watcher cancelled', 'explain cancelled']);
  });

  it('rejects with a ParleyError when the work fails with anything else', async () => {
    const deadline = new Deadline(1000);
    await expect(deadline.settle(Promise.reject(new Error('wire cut')), explain)).rejects.toMatchObject({
      name: 'ParleyError',
    });
  });

  it('rejects at once when the caller aborted before the call began', async () => {
    const caller = new AbortController();
    caller.abort();
    const deadline = new Deadline(1000, caller.signal);
    await expect(deadline.settle(new Promise(() => {}), explain)).rejects.toMatchObject({
      status: 'cancelled',
    });
  });

  it("keeps the caller's signal for the response body until it is read", async () => {
    const caller = new AbortController();
    const deadline = new Deadline(1000, caller.signal);
    const seen: string[] = [];
    deadline.watch((failure) => seen.push(failure.status));
    const streamed = respond('ok', (async function* () {})());
    await deadline.settle(Promise.resolve(streamed), explain);
    caller.abort();
    expect(seen).toEqual(['cancelled']);
  });
});

describe('watchAbort', () => {
  /** A transport whose calls wait until aborted, watched with watchAbort (after an `await` when `late`). */
  function waitingTransport(late = false): { transport: Transport; failures: ParleyError[] } {
    const failures: ParleyError[] = [];
    const transport: Transport = {
      contract: { ...MEMORY_CONTRACT, protocol: 'fake' },
      url: 'fake://x',
      connect: () => ({
        send: async (request: Request) => {
          if (late) await Promise.resolve();
          return new Promise<Response>((resolve) => {
            const stop = watchAbort(request, (failure) => {
              failures.push(failure);
              stop();
              resolve(respond('ok'));
            });
          });
        },
        close: async () => undefined,
      }),
      listen: () => Promise.reject(new Error('not a server')),
    };
    return { transport, failures };
  }

  it("learns a core client call's timeout without making its signal", async () => {
    const made = countAbortControllers();
    const { transport, failures } = waitingTransport();
    const client = createClient(transport, { timeoutMs: 20, retries: 0 });
    await expect(client.get('/x')).rejects.toMatchObject({ status: 'timeout' });
    expect(failures.map((failure) => failure.status)).toEqual(['timeout']);
    expect(made()).toBe(0);
  });

  it("falls back to a core client call's signal when asked after the transport's first await", async () => {
    const made = countAbortControllers();
    const { transport, failures } = waitingTransport(true);
    const client = createClient(transport, { timeoutMs: 20, retries: 0 });
    await expect(client.get('/x')).rejects.toMatchObject({ status: 'timeout' });
    expect(failures.map((failure) => failure.status)).toEqual(['timeout']);
    expect(made()).toBe(1);
  });

  it("listens to the signal of a request the core client did not make (or a middleware's copy)", async () => {
    const controller = new AbortController();
    const request = createRequest({ method: 'GET', path: '/x', signal: controller.signal });
    const seen: string[] = [];
    watchAbort(request, (failure) => seen.push(failure.status));
    const stop = watchAbort(request, () => seen.push('stopped'));
    stop();
    controller.abort(new ParleyError('timeout', 'late'));
    expect(seen).toEqual(['timeout']);
    watchAbort(request, (failure) => seen.push(`at once ${failure.status}`));
    expect(seen).toEqual(['timeout', 'at once timeout']);
  });
});
