import { getEventListeners } from 'node:events';
import { createClient, respond } from '@parley/core';
import { http } from '@parley/http';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

const start = serveEach();

/** A body that sends one chunk, then nothing until the client goes away. */
async function* stalled(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(1024).fill(65);
  await new Promise(() => {});
}

describe("a call's signal and the response body", () => {
  it('cancels the body being read when the signal aborts after the response came', async () => {
    const { url } = await start(async () => respond('ok', stalled()));
    await using client = createClient(http(url));
    const controller = new AbortController();
    const response = await client.get('/slow', { signal: controller.signal });
    const chunks = response.body[Symbol.asyncIterator]();
    const first = await chunks.next();
    expect(first.value?.byteLength).toBe(1024);
    setTimeout(() => controller.abort(), 50);
    await expect(chunks.next()).rejects.toMatchObject({ status: 'cancelled' });
  });

  it('lets go of a signal used for many calls once their bodies are read', async () => {
    const { url } = await start(async (request) => respond('ok', `body of ${request.path}`));
    await using client = createClient(http(url));
    const signal = new AbortController().signal;
    for (let i = 0; i < 20; i++) {
      const response = await client.get(`/n${i}`, { signal });
      expect(await response.body.text()).toBe(`body of /n${i}`);
    }
    const streamed = await start(async () =>
      respond(
        'ok',
        (async function* () {
          yield new Uint8Array(70_000);
        })(),
      ),
    );
    await using other = createClient(http(streamed.url));
    for (let i = 0; i < 5; i++) {
      const response = await other.get('/big', { signal });
      expect((await response.body.bytes()).byteLength).toBe(70_000);
    }
    const cancelled = await other.get('/big', { signal });
    await cancelled.body.cancel();
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});
