import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-move-folder-onto-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

describe('parley serve renaming a folder onto a file (RNFR folder, RNTO file)', () => {
  it('is a conflict naming the file, not "No such file"; both stay as they were', async () => {
    mkdirSync(join(root, 'folder'));
    writeFileSync(join(root, 'file.txt'), 'kept\n');
    const reply = await serve(
      createRequest({ method: 'MOVE', path: '/folder', headers: { destination: '/file.txt' } }),
    );
    expect(reply.status).toBe('conflict');
    expect(await reply.body.text()).toMatch(/\/file\.txt is a file/);
    expect(statSync(join(root, 'folder')).isDirectory()).toBe(true);
    expect(readFileSync(join(root, 'file.txt'), 'utf8')).toBe('kept\n');
  });
});
