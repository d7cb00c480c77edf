import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** Paths asked, in order. */
const asked: string[] = [];
let chain: Awaited<ReturnType<typeof plainHttpServer>>;

beforeAll(async () => {
  // `/N` redirects to `/N-1`; `/0` answers. `/loop` redirects to itself forever.
  chain = await plainHttpServer((req, res) => {
    const path = req.url ?? '';
    asked.push(path);
    if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    const step = Number(path.slice(1));
    if (step === 0) return void res.end('landed\n');
    res.writeHead(302, { location: `/${step - 1}` }).end();
  });
});
afterAll(() => chain.stop());

describe('parley -L follows up to 50 redirects, as curl --max-redirs defaults to', () => {
  it('follows a chain of 50', async () => {
    asked.length = 0;
    const run = await parley(['-s', '-L', `${chain.base}/50`]);
    expect(run).toMatchObject({ code: 0, stdout: 'landed\n' });
    expect(asked).toHaveLength(51);
  });

  it('stops a redirect loop after 50 with exit 47', async () => {
    asked.length = 0;
    const run = await parley(['-L', `${chain.base}/loop`]);
    expect(run.code).toBe(47);
    expect(run.stderr).toBe('parley: More than 50 redirects\n');
    expect(asked).toHaveLength(51);
  });
});
