import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requirePeers } from '../../../test/support/peer.js';
import { type RawServer, startRawServer, startTalkingServer } from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasCurl = requirePeers('curl');
const dir = mkdtempSync(join(tmpdir(), 'parley-max-time-partial-'));
const servers: RawServer[] = [];
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
  const data: Socket[] = [];
  const server = await startTalkingServer((control) => {
    control.write('220 Ready\r\n');
    let waiting: Promise<Socket> | undefined;
    let buffered = '';
    control.on('close', () => {
      for (const socket of data) socket.destroy();
    });
    control.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const verb = buffered.slice(0, end).split(' ')[0]?.toUpperCase() ?? '';
        buffered = buffered.slice(end + 2);
        if (verb === 'USER') control.write('331 Password required\r\n');
        else if (verb === 'PASS') control.write('230 Logged in\r\n');
        else if (verb === 'PWD') control.write('257 "/"\r\n');
        else if (verb === 'TYPE' || verb === 'OPTS') control.write('200 OK\r\n');
        else if (verb === 'SIZE') control.write('213 100\r\n');
        else if (verb === 'EPSV') {
          const listener = createServer();
          waiting = new Promise((resolve) => listener.once('connection', resolve));
          void waiting.then((socket) => {
            data.push(socket);
            socket.on('error', () => {});
            listener.close();
          });
          listener.listen(0, '127.0.0.1', () => {
            const { port } = listener.address() as { port: number };
            control.write(`229 Entering Extended Passive Mode (|||${port}|)\r\n`);
          });
        } else if (verb === 'RETR' && waiting !== undefined) {
          control.write('150 Opening data connection (100 bytes)\r\n');
          void waiting.then((socket) => socket.write(ARRIVED));
        } else if (verb === 'QUIT') control.end('221 Bye\r\n');
        else control.write('502 Not implemented\r\n');
      }
    });
  });
  servers.push(server);
  return `ftp://127.0.0.1:${server.port}/small.txt`;
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
