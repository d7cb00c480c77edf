import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-question-mark-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

/** A request as FTP (STOR what?.txt) or HTTP (PUT /what%3F.txt) carries it: the `?` is part of the name. */
function request(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, body?: string) {
  return createRequest({ method, path, query: '', body });
}

describe('parley serve with a `?` in a file name', () => {
  it('writes the named file and leaves the file named by the part before the `?` alone', async () => {
    writeFileSync(join(root, 'what'), 'kept\n');
    const put = await serve(request('PUT', '/what?.txt', 'new\n'));
    expect(put.status).toBe('created');
    expect(readFileSync(join(root, 'what'), 'utf8')).toBe('kept\n');
    expect(readFileSync(join(root, 'what?.txt'), 'utf8')).toBe('new\n');
  });

  it('reads, appends to and deletes the named file, not its prefix', async () => {
    writeFileSync(join(root, 'q'), 'prefix\n');
    writeFileSync(join(root, 'q?a'), 'named\n');
    const get = await serve(request('GET', '/q?a'));
    expect(await get.body.text()).toBe('named\n');
    await serve(request('POST', '/q?a', 'more\n'));
    expect(readFileSync(join(root, 'q?a'), 'utf8')).toBe('named\nmore\n');
    const gone = await serve(request('DELETE', '/q?a'));
    expect(gone.status).toBe('no_content');
    expect(readdirSync(root)).toContain('q');
    expect(readFileSync(join(root, 'q'), 'utf8')).toBe('prefix\n');
  });
});
