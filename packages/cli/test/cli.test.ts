import { PassThrough } from 'node:stream';
import { runCli } from '@parley/cli';
import { createRouter, createServer, respond, respondListing, type Server } from '@parley/core';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Runs the command with captured output. */
async function run(...argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runCli(argv, { stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('parley command', () => {
  const files = new Map<string, string>();
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const router = createRouter()
      .put('/notes/:name', async (req) => {
        files.set(req.params.name ?? '', await req.body.text());
        return respond('created');
      })
      .get('/notes/:name', async (req) => {
        const text = files.get(req.params.name ?? '');
        return text === undefined
          ? respond('not_found', 'no such note')
          : respond('ok', text, { 'x-size': String(text.length) });
      })
      .list('/notes/', async () =>
        respondListing([...files].map(([name, text]) => ({ name, type: 'file', size: text.length }))),
      );
    server = createServer(router);
    url = (await server.listen(http('http://127.0.0.1:0'))).url;
  });
  afterAll(() => server.close());

  it('puts, gets, heads and lists over the URL transport', async () => {
    expect(await run('put', url, '/notes/a.txt', '--data', 'hello')).toMatchObject({
      code: 0,
      stderr: 'created (http PUT /notes/a.txt)\n',
    });
    expect(await run('get', url, '/notes/a.txt')).toMatchObject({ code: 0, stdout: 'hello' });
    expect((await run('head', url, '/notes/a.txt')).stdout).toContain('x-size: 5');
    expect((await run('list', url, '/notes/')).stdout).toMatch(/- +5 +a\.txt/);
  });

  it('exits 1 when the peer answers with a failure', async () => {
    const result = await run('get', url, '/notes/missing.txt');
    expect(result).toMatchObject({ code: 1, stdout: 'no such note' });
    expect(result.stderr).toContain('not_found');
  });

  it('exits 4 for an operation the transport does not carry, 3 without an answer, 2 for bad usage', async () => {
    const refused = await run('get', 'smtp://127.0.0.1:1', '/notes/a.txt');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('smtp does not carry GET');
    expect((await run('get', 'http://127.0.0.1:1', '/x', '--timeout', '2000')).code).toBe(3);
    expect((await run('fetch', url, '/x')).code).toBe(2);
    expect((await run('get', 'gopher://x', '/x')).stderr).toContain('Unknown scheme gopher:');
    expect((await run('get', url, '/x', '-H', 'no-colon')).code).toBe(2);
  });

  it('prints help and contracts', async () => {
    expect((await run('help')).stdout).toContain('Usage:');
    const contract = await run('contract', 'smtp://127.0.0.1:2525');
    expect(contract.stdout).toMatch(/methods +POST\n/);
  });
});
