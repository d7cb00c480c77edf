import { ParleyError, readListing, respond, respondListing } from '@parley/core';
import { describe, expect, it } from 'vitest';

describe('readListing', () => {
  it("reads Parley's own listings as they were sent", async () => {
    const entries = [
      { name: 'a.txt', type: 'file', size: 3, modified: '2025-01-02T03:04:05.000Z' },
      { name: 'sub', type: 'directory' },
    ] as const;
    expect(await readListing(respondListing(entries))).toEqual(entries);
  });

  it("reads nginx's autoindex_format json: mtime becomes modified, other types are left out", async () => {
    const nginx = JSON.stringify([
      { name: 'docs', type: 'directory', mtime: 'Thu, 02 Jan 2025 03:04:05 GMT' },
      { name: 'a.txt', type: 'file', mtime: 'Fri, 03 Jan 2025 10:00:00 GMT', size: 12 },
      { name: 'fifo', type: 'other', mtime: 'Fri, 03 Jan 2025 10:00:00 GMT' },
    ]);
    const entries = await readListing(respond('ok', nginx, { 'content-type': 'application/json' }));
    expect(entries).toMatchObject([
      { name: 'docs', type: 'directory', modified: '2025-01-02T03:04:05.000Z' },
      { name: 'a.txt', type: 'file', size: 12, modified: '2025-01-03T10:00:00.000Z' },
    ]);
    expect(entries).toHaveLength(2);
  });

  it("leaves out what a hostile server's listing holds besides entries: names that lead out of a folder, fields of the wrong type", async () => {
    const hostile = JSON.stringify([
      { name: '../outside.txt', type: 'file' },
      { name: '/etc/passwd', type: 'file' },
      { name: 'sub/inner.txt', type: 'file' },
      { name: '..', type: 'directory' },
      { name: '.', type: 'directory' },
      { name: '', type: 'file' },
      { name: 'nul\u0000.txt', type: 'file' },
      { name: 42, type: 'file' },
      { name: 'odd.txt', type: 'file', size: 'big', modified: 7, extra: '<script>' },
      { name: 'half.txt', type: 'file', size: 1.5 },
      { name: 'minus.txt', type: 'file', size: -1 },
      { name: 'fine.txt', type: 'file', size: 10, modified: '2025-01-02T03:04:05.000Z' },
    ]);
    expect(await readListing(respond('ok', hostile))).toEqual([
      { name: 'odd.txt', type: 'file' },
      { name: 'half.txt', type: 'file' },
      { name: 'minus.txt', type: 'file' },
      { name: 'fine.txt', type: 'file', size: 10, modified: '2025-01-02T03:04:05.000Z' },
    ]);
  });

  it('refuses an HTML page with a message naming the problem, by content-type or by its first byte', async () => {
    const page = '<html><head><title>Index of /files/</title></head><body></body></html>';
    for (const response of [
      respond('ok', page, { 'content-type': 'text/html; charset=utf-8' }),
      respond('ok', `\n${page}`),
    ]) {
      const failure = await readListing(response).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ParleyError);
      expect(failure).toMatchObject({ status: 'unsupported' });
      expect((failure as Error).message).toMatch(/HTML page, not a listing.*autoindex_format json/);
    }
    await expect(readListing(respond('ok', 'not json'))).rejects.toMatchObject({ status: 'bad_request' });
  });
});
