import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';
import { parseServeOptions } from '../src/serve/options.js';

const base = mkdtempSync(join(tmpdir(), 'parley-serve-linked-'));
const folder = join(base, 'folder');
const link = join(base, 'link');
mkdirSync(folder);
writeFileSync(join(folder, 'a.txt'), 'a\n');
symlinkSync(folder, link);
const server = createServer(folderService(parseServeOptions([link], {}).root));

afterAll(async () => {
  await server.close({ timeoutMs: 1000 });
  rmSync(base, { recursive: true, force: true });
});

describe('parley serve DIR, DIR being a symbolic link to a folder', () => {
  it('serves the folder it names (links are refused inside DIR only)', async () => {
    const { url } = await server.listen(http('http://127.0.0.1:0'));
    const response = await fetch(`${url}/a.txt`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('a\n');
  });
});
