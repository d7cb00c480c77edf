import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

let start: Awaited<ReturnType<typeof plainHttpServer>>;
let followed = 0;
beforeAll(async () => {
  start = await plainHttpServer((req, res) => {
    if (req.url === '/start') res.writeHead(302, { location: '/a%0d%0aX-Injected:%201' }).end();
    else {
      followed++;
      res.end('followed');
    }
  });
});
afterAll(() => start.stop());

describe('parley -L and a redirect whose location cannot be sent (an escaped CR LF)', () => {
  it('exits 3 (malformed URL), blaming the redirect, not the usage, and sends nothing', async () => {
    const run = await parley(['-L', `${start.base}/start`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^parley: Cannot follow the redirect: /);
    expect(run.stderr).not.toContain('--help');
    expect(followed).toBe(0);
  });
});
