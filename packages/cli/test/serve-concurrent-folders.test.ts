import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, ParleyError } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

async function put(path: string, body: string): Promise<string> {
  try {
    return (await serve(createRequest({ method: 'PUT', path, body }))).status;
  } catch (error) {
    return `${ParleyError.from(error).status}: ${ParleyError.from(error).message}`;
  }
}

describe('parley serve with uploads that make the same new folders at once', () => {
  it('stores every file: a folder made meanwhile by another upload is no failure', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `f${i}.txt`);
    const statuses = await Promise.all(names.map((name) => put(`/new/deeper/${name}`, name)));
    expect(statuses).toEqual(names.map(() => 'created'));
    expect(readdirSync(join(root, 'new', 'deeper')).sort()).toEqual([...names].sort());
  });

  it('makes folders with PUT of a path ending in / at once, all created', async () => {
    const statuses = await Promise.all(Array.from({ length: 10 }, () => put('/made/twice/', '')));
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 'created'));
  });
});
