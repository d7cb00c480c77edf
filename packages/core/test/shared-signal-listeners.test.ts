import { getEventListeners } from 'node:events';
import { createClient, createServer, memory, respond } from '@parley/core';
import { afterEach, describe, expect, it } from 'vitest';

let next = 0;
const warnings: Error[] = [];
const onWarning = (warning: Error): void => {
  warnings.push(warning);
};

afterEach(() => {
  process.off('warning', onWarning);
  warnings.length = 0;
});

/** A server whose handler answers once `release` is called, and a client of it. */
async function served() {
  let release = (): void => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = createServer(async () => {
    await released;
    return respond('ok', 'hi');
  });
  const listener = await server.listen(memory(`memory://shared-signal-${++next}`));
  const client = createClient(memory(listener.url), { retries: 0 });
  return { server, client, release };
}

describe('one AbortSignal shared by many calls', () => {
  it('gets one abort listener however many calls are in flight, and none once they end', async () => {
    process.on('warning', onWarning);
    const { server, client, release } = await served();
    const controller = new AbortController();
    const calls = Array.from({ length: 200 }, () => client.get('/x', { signal: controller.signal }));
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
    release();
    const responses = await Promise.all(calls);
    await Promise.all(responses.map((response) => response.body.text()));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    await client.close();
    await server.close({ timeoutMs: 100 });
  });

  it('cancels every call in flight when it aborts', async () => {
    const { server, client } = await served();
    const controller = new AbortController();
    const calls = Array.from({ length: 50 }, () => client.get('/x', { signal: controller.signal }));
    controller.abort();
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ status: 'cancelled' });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    await client.close();
    await server.close({ timeoutMs: 100 });
  });

  it('still cancels the calls left when some of them ended', async () => {
    const { server, client, release } = await served();
    const controller = new AbortController();
    const first = client.get('/x', { signal: controller.signal });
    release();
    await (await first).body.text();
    const late = createServer(() => new Promise(() => {}));
    const listener = await late.listen(memory(`memory://shared-signal-${++next}`));
    const stuck = createClient(memory(listener.url), { retries: 0 });
    const call = stuck.get('/x', { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ status: 'cancelled' });
    await Promise.all([client.close(), stuck.close()]);
    await Promise.all([server.close({ timeoutMs: 100 }), late.close({ timeoutMs: 100 })]);
  });
});
