import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createServer } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { folderService } from '../src/serve/folder.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'parley-serve-conditional-'));
const server = createServer(folderService(root, { write: true }));
let url = '';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

beforeAll(async () => {
  url = (await server.listen(http('http://127.0.0.1:0'))).url;
});
afterAll(async () => {
  await server.close({ timeoutMs: 1000 });
  rmSync(root, { recursive: true, force: true });
});

/** curl's status code for `method` on `path`, with header fields and, for PUT and POST, a body. */
async function curl(method: string, path: string, fields: string[], body?: string): Promise<string> {
  const args = ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', method];
  for (const field of fields) args.push('-H', field);
  if (body !== undefined) args.push('--data-binary', body, '-H', 'Content-Type: text/plain');
  const { stdout } = await run('curl', [...args, `${url}${path}`]);
  return stdout;
}

/** The `etag` curl reads for `path`. */
async function etagOf(path: string): Promise<string> {
  const { stdout } = await run('curl', ['-s', '-I', `${url}${path}`]);
  const match = /^etag: (.*?)\r?$/im.exec(stdout);
  if (match?.[1] === undefined) throw new Error(`no etag for ${path}`);
  return match[1];
}

const read = (name: string) => readFileSync(join(root, name), 'utf8');

describe('parley serve: GET and HEAD honour If-Match and If-Unmodified-Since (curl)', () => {
  it('GET and HEAD of another version than If-Match names are 412, with no body', async () => {
    writeFileSync(join(root, 'read.txt'), 'v1\n');
    const v1 = await etagOf('/read.txt');
    writeFileSync(join(root, 'read.txt'), 'version two\n');
    expect(await curl('GET', '/read.txt', [`If-Match: ${v1}`])).toBe('412');
    const { stdout } = await run('curl', ['-s', '-I', '-H', `If-Match: ${v1}`, `${url}/read.txt`]);
    expect(stdout).toMatch(/^HTTP\/1\.1 412/);
    const v2 = await etagOf('/read.txt');
    const { stdout: body } = await run('curl', ['-s', '-H', `If-Match: ${v2}`, `${url}/read.txt`]);
    expect(body).toBe('version two\n');
    const before = new Date(Date.now() - 3_600_000).toUTCString();
    expect(await curl('GET', '/read.txt', [`If-Unmodified-Since: ${before}`])).toBe('412');
  });

  it("GET with If-None-Match is the HTTP server's 304, not a 412; a missing file stays a 404", async () => {
    writeFileSync(join(root, 'cached.txt'), 'same\n');
    expect(await curl('GET', '/cached.txt', [`If-None-Match: ${await etagOf('/cached.txt')}`])).toBe('304');
    expect(await curl('GET', '/cached.txt', ['If-None-Match: "other"'])).toBe('200');
    expect(await curl('GET', '/absent.txt', ['If-Match: *'])).toBe('404');
  });
});

describe('parley serve: PUT, POST, DELETE and MOVE honour If-Match and If-None-Match (curl)', () => {
  it('PUT with If-None-Match: * creates a file but never replaces one (412)', async () => {
    expect(await curl('PUT', '/new.txt', ['If-None-Match: *'], 'first\n')).toBe('201');
    expect(await curl('PUT', '/new.txt', ['If-None-Match: *'], 'second\n')).toBe('412');
    expect(read('new.txt')).toBe('first\n');
  });

  it('PUT with the If-Match of an older version is refused; with the current one it replaces', async () => {
    writeFileSync(join(root, 'doc.txt'), 'v1\n');
    const v1 = await etagOf('/doc.txt');
    writeFileSync(join(root, 'doc.txt'), 'version two, by another writer\n');
    expect(await curl('PUT', '/doc.txt', [`If-Match: ${v1}`], 'v3 based on v1\n')).toBe('412');
    expect(read('doc.txt')).toBe('version two, by another writer\n');
    const v2 = await etagOf('/doc.txt');
    expect(await curl('PUT', '/doc.txt', [`If-Match: ${v2}`], 'v3\n')).toBe('200');
    expect(read('doc.txt')).toBe('v3\n');
  });

  it('If-Match on a file that is gone is refused, and creates nothing', async () => {
    expect(await curl('PUT', '/gone.txt', ['If-Match: *'], 'x\n')).toBe('412');
    expect(existsSync(join(root, 'gone.txt'))).toBe(false);
  });

  it('POST (append) with a stale If-Match appends nothing', async () => {
    writeFileSync(join(root, 'log.txt'), 'a\n');
    const stale = await etagOf('/log.txt');
    writeFileSync(join(root, 'log.txt'), 'a\nb\n');
    expect(await curl('POST', '/log.txt', [`If-Match: ${stale}`], 'c\n')).toBe('412');
    expect(read('log.txt')).toBe('a\nb\n');
  });

  it('DELETE with a stale If-Match keeps the file', async () => {
    writeFileSync(join(root, 'keep.txt'), 'old\n');
    const stale = await etagOf('/keep.txt');
    writeFileSync(join(root, 'keep.txt'), 'newer and longer\n');
    expect(await curl('DELETE', '/keep.txt', [`If-Match: ${stale}`])).toBe('412');
    expect(read('keep.txt')).toBe('newer and longer\n');
    expect(await curl('DELETE', '/keep.txt', [`If-Match: ${await etagOf('/keep.txt')}`])).toBe('204');
    expect(existsSync(join(root, 'keep.txt'))).toBe(false);
  });

  it('MOVE with a stale If-Match leaves both names as they were', async () => {
    writeFileSync(join(root, 'from.txt'), 'old\n');
    const stale = await etagOf('/from.txt');
    writeFileSync(join(root, 'from.txt'), 'newer and longer\n');
    expect(await curl('MOVE', '/from.txt', ['Destination: /to.txt', `If-Match: ${stale}`])).toBe('412');
    expect(read('from.txt')).toBe('newer and longer\n');
    expect(existsSync(join(root, 'to.txt'))).toBe(false);
  });

  it('If-Unmodified-Since before the last change refuses a PUT', async () => {
    writeFileSync(join(root, 'dated.txt'), 'now\n');
    const before = new Date(Date.now() - 3_600_000).toUTCString();
    expect(await curl('PUT', '/dated.txt', [`If-Unmodified-Since: ${before}`], 'x\n')).toBe('412');
    expect(read('dated.txt')).toBe('now\n');
  });
});

describe('a 412 under -f', () => {
  it('ends parley -f with 22, as curl -f', async () => {
    writeFileSync(join(root, 'fail.txt'), 'kept\n');
    const stale = ['-H', 'If-Match: "0-0"', '-X', 'PUT', '-d', 'x'];
    const curled = await run('curl', ['-s', '-f', ...stale, `${url}/fail.txt`]).catch(
      (error: { code?: number }) => error.code,
    );
    expect(curled).toBe(22);
    expect((await parley(['-s', '-f', ...stale, `${url}/fail.txt`])).code).toBe(22);
    expect(read('fail.txt')).toBe('kept\n');
  });
});
