import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-location-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  mkdirSync(join(root, '日本'));
  writeFileSync(join(root, 'a.txt'), 'a\n');
});

const serve = folderService(root, { write: true });

/** A `location` value HTTP can carry: visible ASCII, a percent-encoded path; and what it names. */
function named(location: string | undefined): string {
  expect(location).toMatch(/^\/[\x21-\x7e]*$/);
  expect(location).not.toMatch(/[?#]/);
  return decodeURIComponent(location as string);
}

describe('the location field of parley serve', () => {
  it('names a mail file added to a folder with a name outside ASCII as a percent-encoded path', async () => {
    const reply = await serve(createRequest({ method: 'POST', path: '/日本/', body: 'hello\n' }));
    expect(reply.status).toBe('created');
    const path = named(reply.headers.get('location'));
    expect(path).toMatch(/^\/日本\/.+\.eml$/);
    expect(existsSync(join(root, path))).toBe(true);
  });

  it('names the destination of a MOVE with a ? or a space in it as a percent-encoded path', async () => {
    const reply = await serve(
      createRequest({ method: 'MOVE', path: '/a.txt', headers: { destination: '/日本/café? b.txt' } }),
    );
    expect(reply.status).toBe('created');
    expect(named(reply.headers.get('location'))).toBe('/日本/café? b.txt');
  });
});
