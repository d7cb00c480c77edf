import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequest, readListing } from '@parley/core';
import { afterAll, describe, expect, it } from 'vitest';
import { folderService } from '../src/serve/folder.js';
import { ListingBudget } from '../src/serve/listing-budget.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-unsent-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'folder'));
for (let i = 0; i < 50; i++) writeFileSync(join(root, 'folder', `${i}.txt`), '');

function list(serve: ReturnType<typeof folderService>, signal?: AbortSignal) {
  return serve(
    createRequest({ method: 'LIST', path: '/folder/', headers: { accept: 'application/json' }, signal }),
  );
}

describe('parley serve bounds the listings it holds unsent', () => {
  it('refuses further listings while unread ones fill the budget, and takes them again once read', async () => {
    // Room for one listing of this folder, not two.
    const serve = folderService(root, { maxUnsentListingBytes: 3000 });
    const first = await list(serve);
    expect(first.status).toBe('ok');
    const second = await list(serve);
    expect(second.status).toBe('unavailable');
    expect(await second.body.text()).toMatch(/wait to be sent/);
    expect(await readListing(first)).toHaveLength(50);
    const third = await list(serve);
    expect(third.status).toBe('ok');
    expect(await readListing(third)).toHaveLength(50);
  });

  it('a listing cancelled unread, or whose request was given up, frees its room', async () => {
    const serve = folderService(root, { maxUnsentListingBytes: 3000 });
    await (await list(serve)).body.cancel();
    const controller = new AbortController();
    const abandoned = await list(serve, controller.signal);
    expect(abandoned.status).toBe('ok');
    controller.abort();
    const after = await list(serve);
    expect(after.status).toBe('ok');
    await after.body.cancel();
  });
});

describe('ListingBudget', () => {
  it('lets one body larger than the budget go out alone, and hands it out whole in pieces', async () => {
    const budget = new ListingBudget(10);
    const bytes = new Uint8Array(200_000).fill(7);
    const body = budget.hold(bytes, new AbortController().signal);
    expect(body?.size).toBe(200_000);
    expect(budget.hold(new Uint8Array(1), new AbortController().signal)).toBeUndefined();
    expect(budget.held).toBe(200_000);
    expect((await body?.bytes())?.byteLength).toBe(200_000);
    expect(budget.held).toBe(0);
  });
});
