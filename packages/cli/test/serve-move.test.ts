import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const base = mkdtempSync(join(tmpdir(), 'parley-serve-move-'));
const root = join(base, 'root');
mkdirSync(root);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const serve = folderService(root, { write: true });

/** A MOVE as FTP RNFR/RNTO, HTTP MOVE with Destination or a WebSocket request carries it. */
function move(from: string, to: string) {
  return serve(createRequest({ method: 'MOVE', path: from, headers: { destination: to } }));
}

describe('parley serve renaming (MOVE)', () => {
  it('renames a file, content intact, and the old name is gone', async () => {
    writeFileSync(join(root, 'keep.txt'), 'important\n');
    const reply = await move('/keep.txt', '/moved.txt');
    expect(reply.status).toBe('created');
    expect(readFileSync(join(root, 'moved.txt'), 'utf8')).toBe('important\n');
    expect(existsSync(join(root, 'keep.txt'))).toBe(false);
  });

  it('replaces an existing file, and makes missing folders of the new name', async () => {
    writeFileSync(join(root, 'a.txt'), 'a\n');
    writeFileSync(join(root, 'b.txt'), 'b\n');
    expect((await move('/a.txt', '/b.txt')).status).toBe('ok');
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('a\n');
    expect((await move('/b.txt', '/deep/er/b.txt')).status).toBe('created');
    expect(readFileSync(join(root, 'deep/er/b.txt'), 'utf8')).toBe('a\n');
  });

  it('stays inside the folder: a destination with .. lands under the root', async () => {
    writeFileSync(join(root, 'c.txt'), 'c\n');
    await move('/c.txt', '/../../c-out.txt');
    expect(existsSync(join(base, 'c-out.txt'))).toBe(false);
    expect(readFileSync(join(root, 'c-out.txt'), 'utf8')).toBe('c\n');
  });

  it('refuses a missing source, a folder as destination, the root, and a folder into itself; nothing changes', async () => {
    writeFileSync(join(root, 'd.txt'), 'd\n');
    mkdirSync(join(root, 'dir'));
    expect((await move('/missing.txt', '/e.txt')).status).toBe('not_found');
    expect((await move('/d.txt', '/dir')).status).toBe('conflict');
    expect((await move('/', '/elsewhere')).status).toBe('forbidden');
    expect((await move('/dir', '/dir/inner')).status).toBe('conflict');
    expect(readFileSync(join(root, 'd.txt'), 'utf8')).toBe('d\n');
    expect(existsSync(join(root, 'dir'))).toBe(true);
  });

  it('refuses a MOVE without a destination with bad_request, the file untouched', async () => {
    writeFileSync(join(root, 'f.txt'), 'f\n');
    await expect(serve(createRequest({ method: 'MOVE', path: '/f.txt' }))).rejects.toMatchObject({
      status: 'bad_request',
    });
    expect(readFileSync(join(root, 'f.txt'), 'utf8')).toBe('f\n');
  });

  it('is refused read-only', async () => {
    writeFileSync(join(root, 'g.txt'), 'g\n');
    const reply = await folderService(root)(
      createRequest({ method: 'MOVE', path: '/g.txt', headers: { destination: '/h.txt' } }),
    );
    expect(reply.status).toBe('forbidden');
    expect(readFileSync(join(root, 'g.txt'), 'utf8')).toBe('g\n');
  });
});
