import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Body } from '../body.js';
import type { KitContext } from './setup.js';
import { allByteValues, digestStream, patternStream } from './streams.js';

/** Empty, binary, large streamed and concurrent bodies. */
export function describeBodies(kit: KitContext): void {
  /** Uploads with PUT when carried, else POST (which appends to nothing, so stores the same). */
  const upload = async (name: string, body: Parameters<typeof Body.from>[0], size?: number) => {
    kit.service.files.delete(name);
    const response = await kit.client.request(kit.carries('PUT') ? 'PUT' : 'POST', `/store/${name}`, {
      body: Body.from(body, size),
    });
    await response.body.cancel();
    return response;
  };
  const readsBack = (): boolean => kit.carries('GET') && kit.client.contract.reply === 'body';

  describe('bodies', () => {
    it('carries an empty body both ways', async () => {
      const response = await upload('empty.txt', '');
      expect(['ok', 'created']).toContain(response.status);
      expect(kit.service.files.get('empty.txt')?.byteLength).toBe(0);
      if (!readsBack()) return;
      const get = await kit.client.get('/store/empty.txt');
      expect(get.status).toBe('ok');
      expect((await get.body.bytes()).byteLength).toBe(0);
    });

    it('carries every byte value unchanged', async () => {
      const bytes = allByteValues();
      await upload('binary.bin', bytes);
      expect(kit.service.files.get('binary.bin')?.equals(bytes)).toBe(true);
      if (!readsBack()) return;
      const get = await kit.client.get('/store/binary.bin');
      expect(Buffer.from(await get.body.bytes()).equals(bytes)).toBe(true);
    });

    it('streams a large body up and down intact', async () => {
      const size = kit.target.largeBodyBytes ?? 8 * 1024 * 1024;
      const expected = await digestStream(patternStream(size));
      const response = await upload('large.bin', patternStream(size), size);
      expect(['ok', 'created']).toContain(response.status);
      const stored = kit.service.files.get('large.bin') ?? Buffer.alloc(0);
      expect(stored.byteLength).toBe(size);
      expect(createHash('sha256').update(stored).digest('hex')).toBe(expected.sha256);
      if (!readsBack()) return;
      const get = await kit.client.get('/store/large.bin');
      expect(get.status).toBe('ok');
      expect(await digestStream(get.body)).toEqual(expected);
    });

    it('answers concurrent requests, each with its own body', async () => {
      const names = Array.from({ length: 16 }, (_, i) => `concurrent-${i}.txt`);
      const responses = await Promise.all(names.map((name) => upload(name, `body of ${name}`)));
      for (const response of responses) expect(['ok', 'created']).toContain(response.status);
      for (const name of names) expect(kit.service.files.get(name)?.toString()).toBe(`body of ${name}`);
      if (!readsBack()) return;
      const texts = await Promise.all(
        names.map(async (name) => (await kit.client.get(`/store/${name}`)).body.text()),
      );
      expect(texts).toEqual(names.map((name) => `body of ${name}`));
    });
  });
}
