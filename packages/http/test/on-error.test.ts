import { Body, createClient, type ParleyError, respond } from '@parley/core';
import { http } from '@parley/http';
import { describe, expect, it } from 'vitest';
import { serveEach } from './helpers.js';

const serve = serveEach();

/** A body that sends one chunk, then fails. */
async function* failingMidway(): AsyncIterable<Uint8Array> {
  yield new TextEncoder().encode('the first part');
  throw new Error('the disk went away');
}

describe('failures HTTP cannot answer', () => {
  it("reports a response body failing past its header block to the server's onError", async () => {
    const reported: { error: ParleyError; context: string | undefined }[] = [];
    const { url } = await serve(
      async () => respond('ok', Body.from(failingMidway())),
      {},
      { onError: (error, _request, context) => reported.push({ error, context }) },
    );
    const client = createClient(http(url), { retries: 0 });
    try {
      const response = await client.get('/broken');
      expect(response.status).toBe('ok');
      await expect(response.body.text()).rejects.toBeDefined();
    } finally {
      await client.close();
    }
    await expect.poll(() => reported.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(reported[0]?.context).toMatch(/writing a response body/);
    expect(reported[0]?.error.message).toMatch(/the disk went away/);
  });
});
