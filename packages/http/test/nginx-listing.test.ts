import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient, ParleyError, readListing } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Nginx, requireNginx, startNginx } from '../../../test/support/nginx.js';

const nginxHere = requireNginx();

describe.runIf(nginxHere)('LIST against nginx autoindex', () => {
  let nginx: Nginx;
  const when = new Date('2025-03-04T05:06:07.000Z');
  beforeAll(async () => {
    nginx = await startNginx(`
      location /json/ { alias {root}/files/; autoindex on; autoindex_format json; }
      location /html/ { alias {root}/files/; autoindex on; }
    `);
    const files = join(nginx.root, 'files');
    await mkdir(join(files, 'sub'), { recursive: true });
    await writeFile(join(files, 'a.txt'), 'hello nginx');
    await utimes(join(files, 'a.txt'), when, when);
    await utimes(join(files, 'sub'), when, when);
  });
  afterAll(() => nginx?.stop());

  it("maps autoindex_format json entries to Parley's: type, size, and mtime as modified", async () => {
    await using client = createClient(http(nginx.url));
    const response = await client.list('/json/');
    expect(response.status).toBe('ok');
    const entries = await readListing(response);
    expect(entries.map(({ name, type, size, modified }) => ({ name, type, size, modified }))).toEqual([
      { name: 'sub', type: 'directory', size: undefined, modified: when.toISOString() },
      { name: 'a.txt', type: 'file', size: 11, modified: when.toISOString() },
    ]);
  });

  it('refuses an HTML index with a message saying how to get a listing', async () => {
    await using client = createClient(http(nginx.url));
    const failure = await readListing(await client.list('/html/')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ParleyError);
    expect(failure).toMatchObject({ status: 'unsupported' });
    expect((failure as Error).message).toMatch(/HTML page, not a listing.*autoindex_format json/);
  });
});
