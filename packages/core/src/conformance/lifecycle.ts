import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { ParleyError } from '../error.js';
import type { KitContext } from './setup.js';

/** Timeouts, aborts and graceful close with requests in flight. */
export function describeLifecycle(kit: KitContext): void {
  const failsWith = (status: string) => (error: unknown) =>
    error instanceof ParleyError && error.status === status;

  describe('lifecycle', () => {
    it('fails a call that outlives its timeout with `timeout`, and keeps working', async () => {
      const timeoutMs = kit.target.shortTimeoutMs ?? 300;
      const call = kit.client.request(kit.probe, '/slow/5000', { timeoutMs, body: '' });
      await expect(call).rejects.toSatisfy(failsWith('timeout'));
      const next = await kit.client.request(kit.probe, '/status/ok', { body: '' });
      await next.body.cancel();
      expect(next.status).toBe('ok');
    });

    it('fails an aborted call with `cancelled`', async () => {
      const controller = new AbortController();
      const call = kit.client.request(kit.probe, '/slow/5000', { signal: controller.signal, body: '' });
      setTimeout(() => controller.abort(), 100);
      await expect(call).rejects.toSatisfy(failsWith('cancelled'));
      const already = kit.client.request(kit.probe, '/status/ok', { signal: AbortSignal.abort(), body: '' });
      await expect(already).rejects.toSatisfy(failsWith('cancelled'));
    });

    it('closes gracefully: requests in flight finish, new ones are refused', async () => {
      const { server, url } = await kit.startServer();
      const client = createClient(kit.target.client(url), { retries: 0, timeoutMs: 5000 });
      try {
        const warm = await client.request(kit.probe, '/status/ok', { body: '' });
        await warm.body.cancel();
        const inFlight = client.request(kit.probe, '/slow/400', { body: '' });
        await waitUntil(() => server.inFlight > 0);
        const closing = server.close({ timeoutMs: 5000 });
        expect(server.ready).toBe(false);
        const response = await inFlight;
        expect(response.status).toBe('ok');
        await response.body.cancel();
        await closing;
        expect(server.state).toBe('closed');
        const late = client.request(kit.probe, '/status/ok', { body: '', timeoutMs: 1500 });
        await expect(late).rejects.toBeInstanceOf(ParleyError);
      } finally {
        await client.close();
      }
    });

    it('cuts off requests still in flight when the close timeout passes', async () => {
      const { server, url } = await kit.startServer();
      const client = createClient(kit.target.client(url), { retries: 0, timeoutMs: 5000 });
      try {
        const stuck = client.request(kit.probe, '/slow/20000', { body: '' }).then(
          (response) => response.status,
          (error: unknown) => ParleyError.from(error).status,
        );
        await waitUntil(() => server.inFlight > 0);
        const started = Date.now();
        await server.close({ timeoutMs: 200 });
        expect(Date.now() - started).toBeLessThan(4000);
        expect(await stuck).not.toBe('ok');
      } finally {
        await client.close();
      }
    });
  });
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
