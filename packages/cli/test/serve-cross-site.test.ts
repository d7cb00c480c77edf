import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, type Serving, serve } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), 'parley-serve-cross-site-'));
let serving: Serving;
let base: URL;

beforeAll(async () => {
  serving = await serve(dir, ['--write', '--user', 'u', '--password', 'p']);
  base = new URL(serving.urls.http as string);
});
afterAll(async () => {
  await serving.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends a request with a body and the saved login, as a browser does; resolves with the status code. */
function send(method: string, path: string, fields: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, ...fields },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(method === 'DELETE' ? undefined : 'pwned');
  });
}

describe('parley serve --write and requests a browser sends for another site', () => {
  it('refuses a form POST or a PUT from a foreign Origin with 403, and writes nothing', async () => {
    const foreign = { origin: 'http://evil.example', 'content-type': 'text/plain' };
    expect(await send('POST', '/posted.txt', foreign)).toBe(403);
    expect(await send('PUT', '/put.txt', { 'sec-fetch-site': 'cross-site' })).toBe(403);
    writeFileSync(join(dir, 'kept.txt'), 'kept');
    expect(await send('DELETE', '/kept.txt', { origin: 'http://evil.example' })).toBe(403);
    expect(existsSync(join(dir, 'kept.txt'))).toBe(true);
    expect(existsSync(join(dir, 'posted.txt'))).toBe(false);
    expect(existsSync(join(dir, 'put.txt'))).toBe(false);
  });

  it('still takes writes from the same origin and from clients that send no Origin', async () => {
    expect(await send('PUT', '/same.txt', { origin: base.origin })).toBe(201);
    expect(await send('PUT', '/plain.txt', {})).toBe(201);
    expect(existsSync(join(dir, 'same.txt'))).toBe(true);
  });
});
