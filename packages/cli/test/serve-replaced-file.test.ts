import { renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, HeaderMap } from '@parley/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { folderService } from '../src/serve/folder.js';

/** Runs just before the served folder opens a file: here, another upload lands in between. */
const hook = vi.hoisted(() => ({ beforeOpen: undefined as ((path: string) => void) | undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open: typeof actual.open = async (...args) => {
    if (typeof args[0] === 'string') hook.beforeOpen?.(args[0]);
    return actual.open(...args);
  };
  return { ...actual, open, default: { ...actual, open } };
});

const root = await mkdtemp(join(tmpdir(), 'parley-serve-replaced-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const OLD = 'the old version';
const NEW = 'the new version, uploaded while the old one was being looked at';

/** A GET of `/f.txt` during which the file is replaced (renamed over, as an upload does). */
async function getWhileReplaced(headers: Record<string, string> = {}) {
  writeFileSync(join(root, 'f.txt'), OLD);
  writeFileSync(join(root, 'next.txt'), NEW);
  const serve = folderService(root);
  hook.beforeOpen = (path) => {
    if (!path.endsWith('f.txt')) return;
    hook.beforeOpen = undefined;
    renameSync(join(root, 'next.txt'), join(root, 'f.txt'));
  };
  const response = await serve(
    createRequest({ method: 'GET', path: '/f.txt', headers: new HeaderMap(headers) }),
  );
  hook.beforeOpen = undefined;
  return { response, text: await response.body.text() };
}

describe('parley serve: a file replaced between its lookup and its opening', () => {
  it('is sent whole, with the length and validators of the version sent', async () => {
    const { response, text } = await getWhileReplaced();
    expect(text).toBe(NEW);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(NEW)));
    expect(response.headers.get('etag')).toMatch(new RegExp(`-${Buffer.byteLength(NEW).toString(16)}"$`));
  });

  it("never sends a part of the new version under the old one's range", async () => {
    const { response, text } = await getWhileReplaced({ range: 'bytes=4-' });
    expect(response.headers.get('content-range')).toBe(`bytes 4-${NEW.length - 1}/${NEW.length}`);
    expect(text).toBe(NEW.slice(4));
  });
});
