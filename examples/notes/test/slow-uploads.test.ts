import { Body } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { slowBody } from '../../../test/support/slow-body.js';
import { NOTE_STORES } from './helpers.js';

describe.each(NOTE_STORES)('the %s store, a note uploaded slowly', (_kind, open) => {
  it('holds no other write of that note back while its body is still coming', async () => {
    const { store, cleanup } = await open();
    try {
      await store.write('a.txt', Body.from('first '), { mode: 'replace' });
      const slow = slowBody('slow ');
      const slowWrite = store.write('a.txt', Body.from(slow.body), { mode: 'replace' });
      // Written and appended to while the slow body has not ended.
      await store.write('a.txt', Body.from('quick '), { mode: 'replace' });
      await store.write('a.txt', Body.from('appended'), { mode: 'append' });
      expect(await (await store.read('a.txt'))?.body.text()).toBe('quick appended');
      slow.finish('upload');
      await slowWrite;
      expect(await (await store.read('a.txt'))?.body.text()).toBe('slow upload');
    } finally {
      await cleanup();
    }
  });

  it('appends a slow body to the note as it is once the body has ended', async () => {
    const { store, cleanup } = await open();
    try {
      await store.write('b.txt', Body.from('one '), { mode: 'replace' });
      const slow = slowBody('three ');
      const slowAppend = store.write('b.txt', Body.from(slow.body), { mode: 'append' });
      await store.write('b.txt', Body.from('two '), { mode: 'append' });
      slow.finish('four');
      await slowAppend;
      expect(await (await store.read('b.txt'))?.body.text()).toBe('one two three four');
    } finally {
      await cleanup();
    }
  });
});
