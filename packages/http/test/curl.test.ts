import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, passwordTable, respond } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curl, requireCurl } from './curl.js';
import { type Served, serve } from './helpers.js';

const available = requireCurl();

describe.skipIf(!available)('curl against a Parley server', () => {
  const files = new Map<string, string>();
  const dir = mkdtempSync(join(tmpdir(), 'parley-http-curl-'));
  let open: Served;
  let guarded: Served;
  let base = '';

  beforeAll(async () => {
    const router = createRouter()
      .get('/notes/:name', async (request) => {
        const text = files.get(request.params.name);
        return text === undefined ? respond('not_found', 'no such note') : respond('ok', text);
      })
      .put('/notes/:name', async (request) => {
        const created = !files.has(request.params.name);
        files.set(request.params.name, await request.body.text());
        return respond(created ? 'created' : 'ok', 'stored');
      })
      .delete('/notes/:name', async (request) =>
        files.delete(request.params.name) ? respond('no_content') : respond('not_found', 'no such note'),
      )
      .get('/whoami', async (request) => respond('ok', request.peer.principal?.name ?? 'anonymous'));
    open = await serve(router.handle, { maxBodyBytes: 64 * 1024 });
    guarded = await serve(router.handle, {}, { authenticate: passwordTable({ alice: 's3cret' }) });
    base = open.url.replace(/\/$/, '');
  });
  afterAll(async () => {
    await open?.server.close({ timeoutMs: 500 });
    await guarded?.server.close({ timeoutMs: 500 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('PUTs a file with -T, GETs it back, DELETEs it, then gets 404', async () => {
    const file = join(dir, 'hello.txt');
    writeFileSync(file, 'hello from curl');
    expect(await curl(['-T', file, `${base}/notes/hello.txt`])).toEqual({ code: 201, body: 'stored' });
    expect(await curl([`${base}/notes/hello.txt`])).toEqual({ code: 200, body: 'hello from curl' });
    expect(await curl(['--data-binary', 'again', '-X', 'PUT', `${base}/notes/hello.txt`])).toEqual({
      code: 200,
      body: 'stored',
    });
    expect((await curl(['-X', 'DELETE', `${base}/notes/hello.txt`])).code).toBe(204);
    expect(await curl([`${base}/notes/hello.txt`])).toEqual({ code: 404, body: 'no such note' });
  });

  it('gets 413 for a body over maxBodyBytes', async () => {
    const file = join(dir, 'big.bin');
    writeFileSync(file, Buffer.alloc(1024 * 1024, 7));
    const result = await curl(['-T', file, `${base}/notes/big.bin`]);
    expect(result.code).toBe(413);
    expect(result.body).toContain('larger than the limit of 65536 bytes');
  });

  it('authenticates with -u (Basic) and gets 401 without or with wrong credentials', async () => {
    const url = `${guarded.url}whoami`;
    expect(await curl(['-u', 'alice:s3cret', url])).toEqual({ code: 200, body: 'alice' });
    expect((await curl(['-u', 'alice:wrong', url])).code).toBe(401);
    const anonymous = await curl(['-i', url]);
    expect(anonymous.code).toBe(401);
    expect(anonymous.body).toMatch(/www-authenticate: Basic realm="parley"/i);
  });
});
