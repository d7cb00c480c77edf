import { describe, expect, it } from 'vitest';
import { readListing } from '../listing.js';
import type { KitContext } from './setup.js';

/** A round trip of each method the contract carries. */
export function describeMethods(kit: KitContext): void {
  describe('methods', () => {
    it('PUT stores a body and GET reads it back', async (context) => {
      if (!kit.carries('PUT') || !kit.carries('GET')) return context.skip();
      const put = await kit.client.put('/store/hello.txt', 'hello, parley');
      expect(['ok', 'created']).toContain(put.status);
      expect(kit.service.files.get('hello.txt')?.toString()).toBe('hello, parley');
      const get = await kit.client.get('/store/hello.txt');
      expect(get.status).toBe('ok');
      expect(await get.body.text()).toBe('hello, parley');
    });

    it('PUT with If-None-Match: * onto a stored file is precondition_failed, and keeps the file', async (context) => {
      if (!kit.carries('PUT') || !kit.client.contract.requestHeaders) return context.skip();
      const headers = { 'if-none-match': '*' };
      const created = await kit.client.put('/store/once.txt', 'first', { headers });
      await created.body.cancel();
      expect(created.status).toBe('created');
      const again = await kit.client.put('/store/once.txt', 'second', { headers });
      await again.body.cancel();
      expect(again.status).toBe('precondition_failed');
      expect(kit.service.files.get('once.txt')?.toString()).toBe('first');
    });

    it('GET of a missing resource is not_found', async (context) => {
      if (!kit.carries('GET')) return context.skip();
      const response = await kit.client.get('/store/missing.txt');
      await response.body.cancel();
      expect(response.status).toBe('not_found');
    });

    it('HEAD reads the size without the body', async (context) => {
      if (!kit.carries('HEAD')) return context.skip();
      kit.service.files.set('sized.bin', Buffer.alloc(1234, 1));
      const response = await kit.client.head('/store/sized.bin');
      expect(response.status).toBe('ok');
      expect((await response.body.bytes()).byteLength).toBe(0);
      const length = response.headers.get('content-length');
      if (kit.client.contract.responseHeaders) expect(length).toBe('1234');
      else if (length !== undefined) expect(length).toBe('1234');
      const missing = await kit.client.head('/store/missing.bin');
      expect(missing.status).toBe('not_found');
    });

    it('POST delivers a body (appending to a stored file)', async () => {
      kit.service.files.set('log.txt', Buffer.from('one\n'));
      const response = await kit.client.post('/store/log.txt', 'two\n');
      await response.body.cancel();
      expect(response.status).toBe('ok');
      expect(kit.service.files.get('log.txt')?.toString()).toBe('one\ntwo\n');
      expect(kit.service.seen.at(-1)).toMatchObject({ method: 'POST', path: '/store/log.txt', size: 4 });
    });

    it('DELETE removes a resource, then it is not_found', async (context) => {
      if (!kit.carries('DELETE')) return context.skip();
      kit.service.files.set('doomed.txt', Buffer.from('bye'));
      const response = await kit.client.delete('/store/doomed.txt');
      await response.body.cancel();
      expect(response.status).toBe('ok');
      expect(kit.service.files.has('doomed.txt')).toBe(false);
      const again = await kit.client.delete('/store/doomed.txt');
      await again.body.cancel();
      expect(again.status).toBe('not_found');
    });

    it('LIST returns the entries of a collection', async (context) => {
      if (!kit.carries('LIST')) return context.skip();
      kit.service.files.set('listed-a.txt', Buffer.from('a'));
      kit.service.files.set('listed-b.txt', Buffer.from('bb'));
      const response = await kit.client.list('/store/');
      expect(response.status).toBe('ok');
      const entries = await readListing(response);
      expect(entries).toContainEqual(
        expect.objectContaining({ name: 'listed-a.txt', type: 'file', size: 1 }),
      );
      expect(entries).toContainEqual(
        expect.objectContaining({ name: 'listed-b.txt', type: 'file', size: 2 }),
      );
    });

    it('a path outside any route is not_found, whatever dots it holds', async () => {
      const response = await kit.client.request(kit.probe, '/store/../../etc/passwd', { body: '' });
      await response.body.cancel();
      expect(response.status).toBe('not_found');
      expect(kit.service.seen.some((seen) => seen.path.includes('..'))).toBe(false);
    });
  });
}
