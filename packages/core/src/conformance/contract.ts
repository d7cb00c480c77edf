import { describe, expect, it } from 'vitest';
import { ParleyError } from '../error.js';
import { METHODS } from '../method.js';
import { isSuccess, STATUSES, type Status } from '../status.js';
import type { KitContext } from './setup.js';

/** Refusal of what the contract does not carry; statuses and headers it does. */
export function describeContract(kit: KitContext): void {
  describe('contract', () => {
    it('declares a protocol, methods and statuses', () => {
      const { contract } = kit.client;
      expect(contract.protocol).toMatch(/^[a-z0-9]+$/);
      expect(contract.methods.length).toBeGreaterThan(0);
      expect(contract.statuses).toContain('ok');
    });

    const refused = METHODS.filter((method) => !kit.target.server().contract.methods.includes(method));
    it.each(refused.length > 0 ? refused : ['(none)'])(
      'refuses %s before touching the network',
      async (method) => {
        if (method === '(none)') return;
        const before = kit.service.seen.length;
        const call = kit.client.request(method as (typeof METHODS)[number], '/store/refused.txt', {
          body: 'x',
        });
        await expect(call).rejects.toSatisfy(
          (error: unknown) =>
            error instanceof ParleyError && error.status === 'unsupported' && !error.retryable,
        );
        expect(kit.service.seen.length).toBe(before);
      },
    );

    it('has an events capability on both sides exactly when it declares events', async () => {
      const { server, url } = await kit.startServer();
      const connector = kit.target.client(url).connect();
      try {
        const declared = kit.client.contract.events;
        expect(connector.events !== undefined, 'connector.events').toBe(declared);
        expect(server.listeners[0]?.events !== undefined, 'listener.events').toBe(declared);
      } finally {
        await connector.close();
      }
    });

    it("gives its listener the transport's URL with the real port", async () => {
      const transport = kit.target.server();
      const { url } = await kit.startServer(undefined, transport);
      const asked = new URL(transport.url);
      const given = new URL(url);
      expect(given.protocol).toBe(asked.protocol);
      expect(given.pathname).toBe(asked.pathname);
      expect(given.username).toBe('');
      if (asked.port !== '' && asked.port !== '0') expect(given.port).toBe(asked.port);
    });

    it('carries every declared status from handler to client', async () => {
      for (const status of kit.client.contract.statuses) {
        const response = await kit.client.request(kit.probe, `/status/${status}`, { body: '' });
        await response.body.cancel();
        expect(response.status, `status ${status}`).toBe(status);
      }
    });

    it('carries every undeclared status as another failure, or another success', async () => {
      const declared: readonly Status[] = kit.client.contract.statuses;
      for (const status of STATUSES.filter((each) => each !== 'unsupported' && !declared.includes(each))) {
        const response = await kit.client.request(kit.probe, `/status/${status}`, { body: '' });
        await response.body.cancel();
        expect(isSuccess(response.status), `status ${status} read as ${response.status}`).toBe(
          isSuccess(status),
        );
      }
    });

    it('carries a failed precondition as precondition_failed, or as conflict where it declares no such status', async () => {
      const response = await kit.client.request(kit.probe, '/status/precondition_failed', { body: '' });
      await response.body.cancel();
      const declared = kit.client.contract.statuses.includes('precondition_failed');
      expect(response.status).toBe(declared ? 'precondition_failed' : 'conflict');
    });

    it('carries request headers when declared', async () => {
      if (!kit.client.contract.requestHeaders) return;
      const response = await kit.client.request(kit.probe, '/headers', {
        headers: { 'X-Parley-Test': 'abc 1' },
      });
      await response.body.cancel();
      expect(kit.service.seen.at(-1)?.headers['x-parley-test']).toBe('abc 1');
      if (kit.client.contract.responseHeaders) expect(response.headers.get('X-Echo')).toBe('abc 1');
    });

    it('does not let one request leak headers into the next', async () => {
      if (!kit.client.contract.requestHeaders) return;
      await (
        await kit.client.request(kit.probe, '/headers', { headers: { 'x-parley-test': 'first' } })
      ).body.cancel();
      const second = await kit.client.request(kit.probe, '/headers');
      await second.body.cancel();
      expect(kit.service.seen.at(-1)?.headers['x-parley-test']).toBeUndefined();
      if (kit.client.contract.responseHeaders) expect(second.headers.get('x-echo')).toBe('none');
    });
  });
}
