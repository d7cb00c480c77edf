import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startRawServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const dir = mkdtempSync(join(tmpdir(), 'parley-partial-'));
/** Half of what the server announces: more than a body gathered before the answer is given. */
const SENT = 100_000;
let server: RawServer;
let base = '';

beforeAll(async () => {
  // `/length` announces twice what it sends; `/small` the same with a body small enough to be
  // gathered before the answer; `/chunked` sends one chunk and no last one. All close.
  server = await startRawServer((socket, request) => {
    const line = request.toString('latin1');
    if (line.startsWith('GET /small ')) {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nhello');
    } else if (line.startsWith('GET /chunked ')) {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n');
    } else {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${2 * SENT}\r\n\r\n${'x'.repeat(SENT)}`);
    }
    setTimeout(() => socket.end(), 200);
  });
  base = server.url;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a body the server cuts short ends parley with exit 18, as curl (partial file)', () => {
  it('when fewer bytes came than content-length announced, keeping what came', async () => {
    const file = join(dir, 'length.bin');
    const run = await parley(['-o', file, `${base}/length`]);
    expect(run.code).toBe(18);
    expect(run.stderr).toBe(
      `parley: Transfer closed before the end of the body (${2 * SENT} bytes announced)\n`,
    );
    expect(readFileSync(file).byteLength).toBe(SENT);
  });

  it('when a small body, gathered before the answer, ends short, keeping what came', async () => {
    const run = await parley([`${base}/small`]);
    expect(run.code).toBe(18);
    expect(run.stdout).toBe('hello');
    expect(run.stderr).toBe('parley: Transfer closed before the end of the body (100 bytes announced)\n');
  });

  it('when a chunked body ends without its last chunk', async () => {
    const run = await parley([`${base}/chunked`]);
    expect(run.code).toBe(18);
    expect(run.stdout).toBe('hello');
    expect(run.stderr).toBe('parley: Transfer closed before the end of the body\n');
  });
});
