import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, readListing } from '@parley/core';
import { ftp } from '@parley/ftp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, type Pyftpdlib, startPyftpdlib } from './pyftpdlib.js';

/**
 * pyftpdlib refuses `MLSD` of a file (501) but answers `LIST` of one with the file's own line: a
 * listing asked of a file's path is no folder's listing, whichever command answered it.
 */
describe.skipIf(!available)('an FTP listing asked of a file (pyftpdlib)', () => {
  let server: Pyftpdlib;
  beforeAll(async () => {
    server = await startPyftpdlib();
    mkdirSync(join(server.root, 'sub'));
    writeFileSync(join(server.root, 'sub', 'a.txt'), 'hello\n');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is not_found, never the file listed as if it were a folder', async () => {
    await using client = createClient(ftp(server.url), { retries: 0 });
    const listing = await client.list('/sub/a.txt/');
    expect(listing.status).toBe('not_found');
    expect(await listing.body.text()).toMatch(/Not a directory/i);
  });

  it('still lists a folder, on a connection that fell back to LIST before', async () => {
    await using client = createClient(ftp(server.url), { retries: 0 });
    await (await client.list('/sub/a.txt/')).body.cancel();
    const folder = await client.list('/sub/');
    expect(folder.status).toBe('ok');
    expect(await readListing(folder)).toEqual([expect.objectContaining({ name: 'a.txt', type: 'file' })]);
  });
});
