import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requirePeers } from '../../../test/support/peer.js';
import { startRawServer } from '../../../test/support/raw-server.js';
import { startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasCurl = requirePeers('curl');
const dir = mkdtempSync(join(tmpdir(), 'parley-max-time-partial-'));
const servers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** The first bytes of a 100-byte body, all a stalled server ever sends of it. */
const ARRIVED = 'hello12345';

/** An HTTP server that announces 100 bytes, sends ten and stalls. */
async function stallingHttp(): Promise<string> {
  const server = await startRawServer((socket) =>
    socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n${ARRIVED}`),
  );
  servers.push(server);
  return `http://127.0.0.1:${server.port}/small.txt`;
}

/** An FTP server whose RETR sends ten bytes of a 100-byte file on the data connection and stalls. */
async function stallingFtp(): Promise<string> {
  const server = await startScriptedFtpServer({
    SIZE: (control) => control.write('213 100\r\n'),
    RETR: (control, _argument, data) => {
      control.write('150 Opening data connection (100 bytes)\r\n');
      void data.socket.then((socket) => socket.write(ARRIVED));
    },
  });
  servers.push(server);
  return `${server.url}/small.txt`;
}

/** curl's exit code for `args`. */
function curl(args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    execFile('curl', ['-s', ...args], (error) =>
      resolve(error === null ? 0 : Number((error as { code?: unknown }).code)),
    );
  });
}

describe.runIf(hasCurl)('--max-time keeps in the -o file what arrived before a stall, as curl does', () => {
  it.each([
    ['HTTP', stallingHttp],
    ['FTP', stallingFtp],
  ])('%s: exit 28, and the bytes that came are in the file', async (_protocol, start) => {
    const url = await start();
    const byCurl = join(dir, `curl-${_protocol}.txt`);
    expect(await curl(['-m', '2', '-o', byCurl, url])).toBe(28);
    expect(readFileSync(byCurl, 'utf8')).toBe(ARRIVED);
    const byParley = join(dir, `parley-${_protocol}.txt`);
    const run = await parley(['-s', '-m', '2', '-o', byParley, url]);
    expect(run.code, run.stderr).toBe(28);
    expect(existsSync(byParley) && readFileSync(byParley, 'utf8')).toBe(ARRIVED);
  });
});
