import { describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { ParleyError } from '../error.js';
import { passwordTable } from '../password-table.js';
import type { Response } from '../response.js';
import type { KitContext } from './setup.js';

/** The `authenticate` hook: accepted and refused credentials. */
export function describeAuth(kit: KitContext): void {
  /** The status a call ended with, whether answered or thrown. */
  const outcome = async (call: Promise<Response>): Promise<{ status: string; text?: string }> => {
    try {
      const response = await call;
      return { status: response.status, text: await response.body.text() };
    } catch (error) {
      return { status: ParleyError.from(error).status };
    }
  };

  describe('auth', () => {
    it('accepts good credentials and hands the principal to the handler', async () => {
      const { url, service } = await kit.startServer({ authenticate: passwordTable({ alice: 's3cret' }) });
      await using client = createClient(kit.target.client(url, { username: 'alice', password: 's3cret' }));
      const result = await outcome(client.request(kit.probe, '/whoami', { body: '' }));
      expect(result.status).toBe('ok');
      if (client.contract.reply === 'body') expect(result.text).toBe('alice');
      expect(service.seen.at(-1)?.principal).toBe('alice');
    });

    it('refuses bad or missing credentials with `unauthenticated`, reaching no handler', async () => {
      const { url, service } = await kit.startServer({ authenticate: passwordTable({ alice: 's3cret' }) });
      await using wrong = createClient(kit.target.client(url, { username: 'alice', password: 'nope' }), {
        retries: 0,
      });
      await using anonymous = createClient(kit.target.client(url), { retries: 0 });
      expect((await outcome(wrong.request(kit.probe, '/whoami', { body: '' }))).status).toBe(
        'unauthenticated',
      );
      expect((await outcome(anonymous.request(kit.probe, '/whoami', { body: '' }))).status).toBe(
        'unauthenticated',
      );
      expect(service.seen).toHaveLength(0);
    });
  });
}
