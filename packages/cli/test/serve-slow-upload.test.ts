import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { slowBody } from '../../../test/support/slow-body.js';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-slow-upload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

describe('parley serve --write, a file uploaded slowly', () => {
  it('holds no other change of that file back while its body is still coming', async () => {
    writeFileSync(join(root, 'a.txt'), 'first\n');
    const slow = slowBody('slow ');
    const slowPut = serve(createRequest({ method: 'PUT', path: '/a.txt', body: slow.body }));
    // Replaced and appended to while the slow body has not ended.
    expect((await serve(createRequest({ method: 'PUT', path: '/a.txt', body: 'quick\n' }))).status).toBe(
      'ok',
    );
    expect((await serve(createRequest({ method: 'POST', path: '/a.txt', body: 'more\n' }))).status).toBe(
      'ok',
    );
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('quick\nmore\n');
    slow.finish('upload\n');
    expect((await slowPut).status).toBe('ok');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('slow upload\n');
  });

  it('appends a slow body to the file as it is once the body has ended', async () => {
    writeFileSync(join(root, 'b.txt'), 'one\n');
    const slow = slowBody('three ');
    const slowAppend = serve(createRequest({ method: 'POST', path: '/b.txt', body: slow.body }));
    expect((await serve(createRequest({ method: 'POST', path: '/b.txt', body: 'two\n' }))).status).toBe('ok');
    slow.finish('four\n');
    expect((await slowAppend).status).toBe('ok');
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('one\ntwo\nthree four\n');
  });
});
