import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** Paths the server was asked for. */
const asked: string[] = [];
let server: Awaited<ReturnType<typeof plainHttpServer>>;

beforeAll(async () => {
  server = await plainHttpServer((req, res) => {
    asked.push(req.url ?? '');
    res.end('ok\n');
  });
});
afterAll(() => server.stop());

describe('parley with more arguments than it takes', () => {
  it('refuses a second URL (curl fetches both) with exit 2 instead of asking for a path made of it', async () => {
    asked.length = 0;
    const run = await parley([`${server.base}/a.txt`, `${server.base}/b.txt`]);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `parley: One URL at a time, not also ${server.base}/b.txt\nTry parley --help\n`,
    });
    expect(asked).toEqual([]);
  });

  it('refuses arguments past the URL and path with exit 2 instead of leaving them out', async () => {
    asked.length = 0;
    const run = await parley(['get', server.base, '/a.txt', '/b.txt']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: 'parley: Unexpected argument "/b.txt"\nTry parley --help\n',
    });
    expect(asked).toEqual([]);
  });

  it('still takes a path given apart from the URL', async () => {
    asked.length = 0;
    expect(await parley(['get', server.base, '/a.txt'])).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(asked).toEqual(['/a.txt']);
  });
});
