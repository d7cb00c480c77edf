import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, createServer, respond } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

/**
 * Loaded before the command: at its exit, writes the files it loaded (one a line) and the
 * Node.js modules it loaded (`builtin:` lines) to the file named by PARLEY_MODULES_FILE.
 */
const RECORDER = `
process.on('exit', () => {
  const builtins = process.moduleLoadList
    .filter((entry) => entry.startsWith('NativeModule '))
    .map((entry) => 'builtin:' + entry.slice('NativeModule '.length));
  require('node:fs').writeFileSync(
    process.env.PARLEY_MODULES_FILE,
    [...Object.keys(require.cache), ...builtins].join('\\n'),
  );
});
`;

const dir = mkdtempSync(join(tmpdir(), 'parley-client-modules-'));
const recorder = join(dir, 'recorder.cjs');
const server = createServer(createRouter().get('/files/*', async () => respond('ok', 'hello')));
const urls: Record<string, string> = {};

beforeAll(async () => {
  buildParley();
  writeFileSync(recorder, RECORDER);
  urls.http = (await server.listen(http('http://127.0.0.1:0'))).url.replace(/\/$/, '');
  urls.ftp = (await server.listen(ftp('ftp://127.0.0.1:0'))).url.replace(/\/$/, '');
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await server.close({ timeoutMs: 1_000 });
  rmSync(dir, { recursive: true, force: true });
});

/** Downloads a file with the built command; resolves with what it printed and what it loaded. */
async function download(url: string): Promise<{ code: number | null; stdout: string; loaded: string[] }> {
  const record = join(dir, `modules-${Date.now()}.txt`);
  const run = await parley(['-s', url], undefined, {
    NODE_OPTIONS: `--require ${recorder}`,
    PARLEY_MODULES_FILE: record,
  });
  return { code: run.code, stdout: run.stdout, loaded: readFileSync(record, 'utf8').split('\n') };
}

/** The source of every file a run loaded from the repository's packages. */
function sourcesOf(loaded: readonly string[]): string {
  return loaded
    .filter((file) => file.includes('/packages/'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

describe('a download with the parley command loads the client side only', () => {
  it.each([
    ['http', 'listenHttp'],
    ['ftp', 'listenFtp'],
  ])('over %s, works without loading the server side (%s)', async (scheme, listen) => {
    const { code, stdout, loaded } = await download(`${urls[scheme]}/files/a.txt`);
    expect(code).toBe(0);
    expect(stdout).toBe('hello');
    expect(sourcesOf(loaded).includes(`function ${listen}(`)).toBe(false);
  });

  it('over plain HTTP, does not load node:https', async () => {
    const { code, loaded } = await download(`${urls.http}/files/a.txt`);
    expect(code).toBe(0);
    expect(loaded).not.toContain('builtin:https');
  });

  it.each(['http', 'ftp'])(
    'over %s without a progress meter, does not load node:perf_hooks',
    async (scheme) => {
      const { code, loaded } = await download(`${urls[scheme]}/files/a.txt`);
      expect(code).toBe(0);
      expect(loaded).not.toContain('builtin:perf_hooks');
    },
  );
});
