import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-pages-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  writeFileSync(join(root, 'site.html'), '<script>alert(1)</script>');
  writeFileSync(join(root, 'note.txt'), '<script>alert(1)</script>');
});

describe('files served by parley serve, as browsers take them', () => {
  it('with --write, an uploaded page opens sandboxed: no scripts, no access to the origin', async () => {
    const serve = folderService(root, { write: true });
    const uploaded = await serve(
      createRequest({
        method: 'PUT',
        path: '/evil.svg',
        body: '<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
      }),
    );
    expect(uploaded.status).toBe('created');
    for (const path of ['/evil.svg', '/site.html']) {
      for (const method of ['GET', 'HEAD'] as const) {
        const reply = await serve(createRequest({ method, path }));
        await reply.body.cancel();
        expect(reply.headers.get('content-security-policy'), `${method} ${path}`).toBe('sandbox');
        expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
      }
    }
  });

  it('read-only, pages run as the folder made them; no file is ever sniffed into another type', async () => {
    const serve = folderService(root);
    const page = await serve(createRequest({ method: 'GET', path: '/site.html' }));
    await page.body.cancel();
    expect(page.headers.get('content-security-policy')).toBeUndefined();
    const text = await serve(createRequest({ method: 'GET', path: '/note.txt' }));
    expect(await text.body.text()).toBe('<script>alert(1)</script>');
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
