import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTarget } from '@parley/cli';
import { createRouter, createServer, respond, respondListing, type Server } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-in-process.js';

/** Runs the command in this process with captured output. */
const run = (...argv: string[]) => runInProcess(argv);

describe('parley command', () => {
  const files = new Map<string, string>();
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const router = createRouter()
      .put('/notes/:name', async (req) => {
        files.set(req.params.name, await req.body.text());
        return respond('created');
      })
      .get('/notes/:name', async (req) => {
        const text = files.get(req.params.name);
        return text === undefined
          ? respond('not_found', 'no such note')
          : respond('ok', text, { 'x-size': String(text.length) });
      })
      .get('/old', async () => respond('not_found', 'moved', { location: '/notes/a.txt' }))
      .list('/notes/', async () =>
        respondListing([...files].map(([name, text]) => ({ name, type: 'file', size: text.length }))),
      );
    server = createServer(router);
    url = (await server.listen(http('http://127.0.0.1:0'))).url.replace(/\/$/, '');
  });
  afterAll(() => server.close());

  it('takes curl forms: -d POSTs, -X PUT, a URL GETs, a / LISTs, -I HEADs; the verb forms too', async () => {
    expect(await run('-X', 'PUT', '-d', 'hello', `${url}/notes/a.txt`)).toMatchObject({
      code: 0,
      stderr: 'created (http PUT /notes/a.txt)\n',
    });
    expect(await run(`${url}/notes/a.txt`)).toMatchObject({ code: 0, stdout: 'hello' });
    expect(await run('get', url, '/notes/a.txt')).toMatchObject({ code: 0, stdout: 'hello' });
    expect((await run('-I', `${url}/notes/a.txt`)).stdout).toContain('x-size: 5');
    expect((await run(`${url}/notes/`)).stdout).toMatch(/- +5 +a\.txt/);
    expect((await run('-L', `${url}/old`)).stdout).toBe('hello');
  });

  it('exits with curl codes: 22 with -f, 3 bad URL, 1 unknown scheme, 4 not carried, 7 refused, 2 usage', async () => {
    expect(await run(`${url}/notes/missing.txt`)).toMatchObject({ code: 0, stdout: 'no such note' });
    expect((await run('-f', `${url}/notes/missing.txt`)).code).toBe(22);
    expect((await run('-f', '-s', `${url}/notes/missing.txt`)).stderr).toBe('');
    expect((await run('http://')).code).toBe(3);
    expect((await run('gopher://x/y')).code).toBe(1);
    const refused = await run('smtp://127.0.0.1:1/notes');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('smtp does not carry GET');
    expect((await run('--max-time', '5', 'http://127.0.0.1:1/x')).code).toBe(7);
    expect((await run('subscribe', url, '/notes/*')).code).toBe(4);
    expect((await run('-T', '/no/such/file', `${url}/x`)).stderr).toContain('no such file');
    expect((await run('-T', '/no/such/file', `${url}/x`)).code).toBe(26);
    expect(await run('-T', tmpdir(), `${url}/notes/d.txt`)).toMatchObject({
      code: 26,
      stderr: expect.stringContaining('a directory'),
    });
    expect((await run('--bogus', url)).code).toBe(2);
  });

  it('prints help with the exit codes, the version and contracts', async () => {
    expect((await run('--help')).stdout).toContain('28 timed out');
    expect((await run('--version')).stdout).toMatch(/^parley \d+\.\d+\.\d+\n$/);
    expect((await run('contract', 'smtp://127.0.0.1:2525')).stdout).toMatch(/methods +POST\n/);
  });

  it('splits an MQTT URL into the service prefix (first segment, or --prefix) and the path', () => {
    expect(parseTarget('mqtt://h:1883/notes-service/notes/a.txt')).toMatchObject({
      transportUrl: 'mqtt://h:1883/notes-service',
      path: '/notes/a.txt',
    });
    expect(parseTarget('mqtt://h/a/b/notes/', { prefix: 'a/b' })).toMatchObject({
      transportUrl: 'mqtt://h/a/b',
      path: '/notes/',
    });
    expect(parseTarget('ftp://u:p@h:2121/x%20y.txt', { user: 'v:q' })).toMatchObject({
      transportUrl: 'ftp://v:q@h:2121',
      path: '/x y.txt',
    });
  });

  it('uploads from a FIFO as it is written, as curl -T does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-fifo-'));
    const fifo = join(dir, 'in');
    execFileSync('mkfifo', [fifo]);
    const writer = (async () => {
      const handle = await open(fifo, 'w');
      for (const line of ['one\n', 'two\n']) {
        await handle.write(line);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await handle.close();
    })();
    expect(await run('-T', fifo, `${url}/notes/fifo.txt`)).toMatchObject({ code: 0 });
    await writer;
    expect(files.get('fifo.txt')).toBe('one\ntwo\n');
    rmSync(dir, { recursive: true });
  });

  it('refuses a URL without a host (exit 3), as curl does', () => {
    for (const text of ['http:///a.txt', 'ftp:a.txt', 'http:\\\\h/a.txt', 'mqtt:///p/a', 'ws://']) {
      expect(() => parseTarget(text), text).toThrow(expect.objectContaining({ code: 3 }));
    }
    expect(parseTarget('http://[::1]:8080/a.txt').transportUrl).toBe('http://[::1]:8080');
  });
});
