import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-folder-put-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

describe('parley serve, PUT of a path ending in /', () => {
  it('refuses content with bad_request instead of answering created with the bytes thrown away', async () => {
    const reply = await serve(createRequest({ method: 'PUT', path: '/notes.txt/', body: 'my note' }));
    expect(reply.status).toBe('bad_request');
    expect(await reply.body.text()).toMatch(/folder.*takes no content/);
    expect(readdirSync(root)).not.toContain('notes.txt');
  });

  it('makes the folder when it has no content (FTP MKD)', async () => {
    const reply = await serve(createRequest({ method: 'PUT', path: '/made/' }));
    expect(reply.status).toBe('created');
    expect(statSync(join(root, 'made')).isDirectory()).toBe(true);
  });
});
