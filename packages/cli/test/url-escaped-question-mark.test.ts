import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTarget } from '@parley/cli';
import { createRouter, createServer, type Request, respond } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-in-process.js';

/** Runs the command in this process with captured output. */
const run = (...argv: string[]) => runInProcess(argv);

/** `%3F` in a URL's path is a `?` in the name, not the start of a query. */
describe('parley and a %3F in the URL path', () => {
  const seen: { path: string; query: string }[] = [];
  const record = async (request: Request) => {
    seen.push({ path: request.path, query: request.query.toString() });
    return respond('ok', `the file ${request.path}`);
  };
  const server = createServer(createRouter().get('/files/*', record).put('/files/*', record));
  const urls: Record<string, string> = {};
  const dir = mkdtempSync(join(tmpdir(), 'parley-question-mark-'));
  beforeAll(async () => {
    urls.http = (await server.listen(http('http://127.0.0.1:0'))).url.replace(/\/$/, '');
    urls.ftp = (await server.listen(ftp('ftp://127.0.0.1:0'))).url.replace(/\/$/, '');
    urls.ws = (await server.listen(ws('ws://127.0.0.1:0/parley'))).url;
  });
  afterAll(async () => {
    await server.close({ timeoutMs: 1_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['http', 'ftp', 'ws'])('over %s, reaches the file named with the ?', async (scheme) => {
    seen.length = 0;
    const result = await run(`${urls[scheme]}/files/what%3F.txt`);
    expect(result.code).toBe(0);
    expect(seen).toEqual([{ path: '/files/what?.txt', query: '' }]);
  });

  it('over HTTP, keeps a real query apart from the name', async () => {
    seen.length = 0;
    const result = await run(`${urls.http}/files/what%3F.txt?x=1`);
    expect(result.code).toBe(0);
    expect(seen).toEqual([{ path: '/files/what?.txt', query: 'x=1' }]);
  });

  it('-O saves under the whole name', async () => {
    seen.length = 0;
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect((await run('-O', `${urls.ftp}/files/what%3F.txt`)).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(readFileSync(join(dir, 'what?.txt'), 'utf8')).toBe('the file /files/what?.txt');
  });

  it('parseTarget keeps the name and the query apart', () => {
    expect(parseTarget('http://h/a%3Fb?c=d')).toMatchObject({ path: '/a?b', query: 'c=d' });
    expect(parseTarget('ftp://h/a%3Fb')).toMatchObject({ path: '/a?b', query: '' });
  });
});
