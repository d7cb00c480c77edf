import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** A TCP listener that only counts who connects: where a hostile redirect points. */
let victim: Server;
let connections = 0;
let victimPort = 0;
let start: Awaited<ReturnType<typeof plainHttpServer>>;

beforeAll(async () => {
  victim = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => victim.listen(0, '127.0.0.1', resolve));
  const address = victim.address();
  victimPort = typeof address === 'object' && address !== null ? address.port : 0;
  start = await plainHttpServer((req, res) => {
    // `/to/<scheme>` redirects to that scheme on the counting listener.
    const scheme = (req.url ?? '').split('/')[2] ?? '';
    const location =
      scheme === 'file' ? 'file:///etc/passwd' : `${scheme}://127.0.0.1:${victimPort}/files/secret.txt`;
    res.writeHead(302, { location }).end();
  });
});
afterAll(() => {
  start.stop();
  victim.close();
});

describe('parley -L follows redirects to http, https, ftp and ftps only, as curl', () => {
  for (const scheme of ['mqtt', 'ws', 'smtp', 'file']) {
    it(`refuses a redirect to ${scheme}:// with exit 1, without connecting`, async () => {
      connections = 0;
      const run = await parley(['-L', `${start.base}/to/${scheme}`]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`${scheme}:`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).not.toContain('root:');
      expect(connections).toBe(0);
    });
  }
});
