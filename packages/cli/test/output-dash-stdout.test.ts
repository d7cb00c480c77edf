import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, PARLEY_SHELL, plainHttpServer, shell } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), 'parley-output-dash-'));
let server: Awaited<ReturnType<typeof plainHttpServer>>;

beforeAll(async () => {
  server = await plainHttpServer((_req, res) => res.end('body\n'));
});
afterAll(() => {
  server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('parley -o -', () => {
  it('writes the body to stdout, as curl, and no file named -', async () => {
    const run = await shell(`cd '${dir}' && ${PARLEY_SHELL} -s -o - ${server.base}/a.txt`);
    expect(run).toMatchObject({ code: 0, stdout: 'body\n' });
    expect(existsSync(join(dir, '-'))).toBe(false);
  });
});
