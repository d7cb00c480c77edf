import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-index-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root);

/** The links of a folder's HTML page, resolved as a browser or `wget -r` does, then decoded. */
async function links(path: string): Promise<string[]> {
  const reply = await serve(
    createRequest({ method: 'LIST', path, query: '', headers: { accept: 'text/html' } }),
  );
  const html = await reply.body.text();
  const base = new URL(path.split('/').map(encodeURIComponent).join('/'), 'http://127.0.0.1:8080');
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => {
    const href = (match[1] as string).replaceAll('&amp;', '&');
    const url = new URL(href, base);
    // A name's `?` or `#` must be escaped: a link with a query or a fragment misses the file.
    if (url.search !== '' || url.hash !== '') return `not a plain path: ${href}`;
    try {
      return decodeURIComponent(url.pathname);
    } catch {
      return `not a valid link: ${href}`;
    }
  });
}

describe('the HTML index of parley serve', () => {
  it('links to the files of a folder whose name holds ?, #, % or a space', async () => {
    for (const folder of ['we?ird#dir', '100%', 'a b']) {
      mkdirSync(join(root, folder));
      writeFileSync(join(root, folder, 'in.txt'), 'in\n');
      expect(await links(`/${folder}/`)).toEqual(['/', `/${folder}/in.txt`]);
    }
  });

  it('links to folders and files with such names from their parent', async () => {
    mkdirSync(join(root, 'top'));
    mkdirSync(join(root, 'top', 'x?y'));
    writeFileSync(join(root, 'top', 'p#q.txt'), 'p\n');
    expect(await links('/top/')).toEqual(['/', '/top/p#q.txt', '/top/x?y/']);
  });
});
