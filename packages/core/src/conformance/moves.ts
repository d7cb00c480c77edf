import { describe, expect, it } from 'vitest';
import type { KitContext } from './setup.js';

/** `MOVE`, where the contract carries it: one rename, from the source path to `destination`. */
export function describeMoves(kit: KitContext): void {
  describe('MOVE', () => {
    it('moves a resource to its destination', async (context) => {
      if (!kit.carries('MOVE')) return context.skip();
      kit.service.files.set('move-from.txt', Buffer.from('moving'));
      kit.service.files.delete('move-to.txt');
      const response = await kit.client.move('/store/move-from.txt', '/store/move-to.txt');
      await response.body.cancel();
      expect(response.status).toBe('ok');
      expect(kit.service.files.has('move-from.txt')).toBe(false);
      expect(kit.service.files.get('move-to.txt')?.toString()).toBe('moving');
      expect(kit.service.seen.at(-1)).toMatchObject({ method: 'MOVE', path: '/store/move-from.txt' });
      if (kit.client.contract.requestHeaders) {
        expect(kit.service.seen.at(-1)?.headers.destination).toBe('/store/move-to.txt');
      }
    });

    it('a move onto itself is a no-op that keeps the data', async (context) => {
      if (!kit.carries('MOVE')) return context.skip();
      kit.service.files.set('move-self.txt', Buffer.from('staying'));
      const response = await kit.client.move('/store/move-self.txt', '/store/move-self.txt');
      await response.body.cancel();
      expect(response.status).toBe('ok');
      expect(kit.service.files.get('move-self.txt')?.toString()).toBe('staying');
    });

    it('a move of a missing source is not_found, and creates nothing', async (context) => {
      if (!kit.carries('MOVE')) return context.skip();
      const response = await kit.client.move('/store/move-missing.txt', '/store/move-created.txt');
      await response.body.cancel();
      expect(response.status).toBe('not_found');
      expect(kit.service.files.has('move-created.txt')).toBe(false);
    });

    it('moves a name holding spaces and non-ASCII letters', async (context) => {
      if (!kit.carries('MOVE')) return context.skip();
      kit.service.files.set('from é 1.txt', Buffer.from('accents'));
      const response = await kit.client.move('/store/from é 1.txt', '/store/to ü 2.txt');
      await response.body.cancel();
      expect(response.status).toBe('ok');
      expect(kit.service.files.get('to ü 2.txt')?.toString()).toBe('accents');
    });
  });
}
