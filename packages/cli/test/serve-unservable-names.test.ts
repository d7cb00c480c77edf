import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, readListing } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-unservable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Names no request path can carry: core refuses them, so a listing must not offer them. */
const HOSTILE = ['red\x1b[31mtext', 'photo\u202Egpj.exe', 'tab\tname', 'two\r\nlines', 'zero\u200Bwidth'];

beforeAll(() => {
  writeFileSync(join(root, 'plain.txt'), 'plain\n');
  // A name that is real UTF-8 for U+FFFD, and one in Latin-1 that Node also reads as U+FFFD.
  writeFileSync(join(root, 'caf\uFFFD.txt'), 'replacement character\n');
  writeFileSync(Buffer.from(`${root}/caf\xe9.txt`, 'latin1'), 'latin-1\n');
  for (const name of HOSTILE) writeFileSync(join(root, name), 'hostile\n');
});

const serve = folderService(root);

function list(accept: string) {
  return serve(createRequest({ method: 'LIST', path: '/', query: '', headers: { accept } }));
}

describe('parley serve lists only the names a request can ask for again', () => {
  it('leaves out names with control, bidirectional or invisible characters, and names not in UTF-8', async () => {
    const entries = await readListing(await list('application/json'));
    expect(entries.map((entry) => entry.name)).toEqual(['caf\uFFFD.txt', 'plain.txt']);
  });

  it('every name it lists answers a GET with that file', async () => {
    const entries = await readListing(await list('application/json'));
    for (const entry of entries) {
      const reply = await serve(createRequest({ method: 'GET', path: `/${entry.name}`, query: '' }));
      expect(reply.status).toBe('ok');
      expect(reply.headers.get('content-length')).toBe(String(entry.size));
    }
  });

  it('says on the HTML index how many entries it left out, and why', async () => {
    const html = await (await list('text/html')).body.text();
    expect(html).toContain('6 entries left out');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    expect(html).not.toMatch(/[\x00-\x09\x0b\x0c\x0e-\x1f\u202e\u200b]/);
    expect(html.match(/<li>/g)).toHaveLength(2);
  });
});
