import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const home = mkdtempSync(join(tmpdir(), 'parley-code-cache-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Every cache entry under `folder`, with its modification time. */
function entries(folder: string): Map<string, number> {
  const found = new Map<string, number>();
  const root = join(folder, 'parley');
  for (const version of readdirSync(root)) {
    for (const name of readdirSync(join(root, version)))
      found.set(name, statSync(join(root, version, name)).mtimeMs);
  }
  return found;
}

describe("parley's code cache", () => {
  it('is written on the first run, read and left as it is on the next, and gives the same output', async () => {
    const server = await plainHttpServer((_request, response) => response.end('cached?'));
    try {
      const env = { XDG_CACHE_HOME: join(home, 'on') };
      const first = await parley(['-s', `${server.base}/a`], undefined, env);
      expect(first).toEqual({ code: 0, stdout: 'cached?', stderr: '' });
      const written = entries(env.XDG_CACHE_HOME);
      expect(written.size).toBeGreaterThan(10);
      expect([...written.keys()].some((name) => name.includes('undici'))).toBe(true);
      expect([...written.keys()].every((name) => !name.endsWith('.tmp'))).toBe(true);
      const second = await parley(['-s', `${server.base}/a`], undefined, env);
      expect(second).toEqual(first);
      expect(entries(env.XDG_CACHE_HOME)).toEqual(written);
    } finally {
      server.stop();
    }
  });

  it('is neither read nor written with PARLEY_CODE_CACHE=0', async () => {
    const env = { XDG_CACHE_HOME: join(home, 'off'), PARLEY_CODE_CACHE: '0' };
    const run = await parley(['--help'], undefined, env);
    expect(run.code).toBe(0);
    expect(() => readdirSync(env.XDG_CACHE_HOME)).toThrow();
  });
});
