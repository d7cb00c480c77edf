import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = await mkdtemp(join(tmpdir(), 'parley-serve-existing-folder-'));
afterAll(() => rm(root, { recursive: true, force: true }));

async function put(path: string): Promise<string> {
  const serve = folderService(root, { write: true });
  return (await serve(createRequest({ method: 'PUT', path }))).status;
}

describe('parley serve: PUT of a folder path (FTP MKD)', () => {
  it('makes a new folder, and answers conflict for one that exists (the served one too)', async () => {
    await mkdir(join(root, 'old'));
    await writeFile(join(root, 'file'), 'x');
    expect(await put('/new/')).toBe('created');
    expect(await put('/new/')).toBe('conflict');
    expect(await put('/old/')).toBe('conflict');
    expect(await put('/')).toBe('conflict');
    expect(await put('/file/')).toBe('conflict');
  });
});
