import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** What each server of the chain was sent. */
const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
let landing: Awaited<ReturnType<typeof plainHttpServer>>;
let start: Awaited<ReturnType<typeof plainHttpServer>>;

beforeAll(async () => {
  landing = await plainHttpServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    res.end('landed\n');
  });
  start = await plainHttpServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const to = req.url === '/away' ? `${landing.base}/land` : '/here';
    if (req.url === '/here') res.end('here\n');
    else res.writeHead(302, { location: to }).end();
  });
});
afterAll(() => {
  landing.stop();
  start.stop();
});

describe('parley -L with credentials in -H header fields', () => {
  const secrets = ['-H', 'Authorization: Bearer s3cret', '-H', 'Cookie: session=s3cret'];

  it('does not send them on to another origin, as curl does', async () => {
    seen.length = 0;
    const run = await parley(['-s', '-L', ...secrets, `${start.base}/away`]);
    expect(run).toMatchObject({ code: 0, stdout: 'landed\n' });
    expect(seen.map(({ path }) => path)).toEqual(['/away', '/land']);
    expect(seen[0]?.headers.authorization).toBe('Bearer s3cret');
    expect(seen[1]?.headers.authorization).toBeUndefined();
    expect(seen[1]?.headers.cookie).toBeUndefined();
  });

  it('keeps them for a redirect on the same origin', async () => {
    seen.length = 0;
    const run = await parley(['-s', '-L', ...secrets, `${start.base}/start`]);
    expect(run).toMatchObject({ code: 0, stdout: 'here\n' });
    expect(seen.map(({ path }) => path)).toEqual(['/start', '/here']);
    expect(seen[1]?.headers.authorization).toBe('Bearer s3cret');
    expect(seen[1]?.headers.cookie).toBe('session=s3cret');
  });
});
