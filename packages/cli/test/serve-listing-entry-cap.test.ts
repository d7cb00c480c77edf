import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, readListing } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-entry-cap-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  mkdirSync(join(root, 'three'));
  mkdirSync(join(root, 'four'));
  for (let i = 0; i < 3; i++) writeFileSync(join(root, 'three', `${i}.txt`), '');
  for (let i = 0; i < 4; i++) writeFileSync(join(root, 'four', `${i}.txt`), '');
});

function list(serve: ReturnType<typeof folderService>, path: string, accept = 'application/json') {
  return serve(createRequest({ method: 'LIST', path, query: '', headers: { accept } }));
}

describe('parley serve caps the entries of one listing', () => {
  it('lists a folder holding up to the cap whole', async () => {
    const serve = folderService(root, { maxListedEntries: 3 });
    const entries = await readListing(await list(serve, '/three/'));
    expect(entries.map((entry) => entry.name)).toEqual(['0.txt', '1.txt', '2.txt']);
  });

  it('refuses a folder holding more with too_large and says why, never a listing cut short', async () => {
    const serve = folderService(root, { maxListedEntries: 3 });
    for (const accept of ['application/json', 'text/html']) {
      const reply = await list(serve, '/four/', accept);
      expect(reply.status).toBe('too_large');
      expect(await reply.body.text()).toBe('/four/ holds more than 3 entries: too many to list at once');
    }
  });
});
