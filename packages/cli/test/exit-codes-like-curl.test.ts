import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requirePeers } from '../../../test/support/peer.js';
import {
  type RawServer,
  startRawServer,
  startSilentServer,
  startTalkingServer,
} from '../../../test/support/raw-server.js';
import { BUILD_TIMEOUT_MS, buildParley, curlExit, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasCurl = requirePeers('curl');

/** Answers each line of a line-based protocol (FTP, SMTP) after `greeting`; `answer` ends the talk. */
function lineServer(greeting: string, answer: (verb: string) => string): Promise<RawServer> {
  return startTalkingServer((socket) => {
    socket.write(`${greeting}\r\n`);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const verb = buffered.slice(0, end).split(' ')[0]?.toUpperCase() ?? '';
        buffered = buffered.slice(end + 2);
        socket.write(`${answer(verb)}\r\n`);
      }
    });
  });
}

/** A case: what is tried, the exit code both give, and each command's arguments. */
interface Case {
  readonly what: string;
  readonly code: number;
  readonly curl: readonly string[];
  readonly parley: readonly string[];
}

describe.runIf(hasCurl)('exit codes provoked on each protocol, beside curl on the same peer', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-exit-codes-'));
  const mail = join(dir, 'mail.txt');
  const missing = join(dir, 'missing.txt');
  const servers: RawServer[] = [];
  const cases: Case[] = [];

  /** The same URL for both, SMTP's recipient given as each command takes it. */
  function both(what: string, code: number, url: string, extra: readonly string[] = []): void {
    if (url.startsWith('smtp://')) {
      const upload = extra.includes('-T') ? [] : ['-T', mail];
      cases.push({
        what,
        code,
        curl: [...extra, ...upload, '--mail-rcpt', 'to@example.com', `${url}/`],
        parley: [...extra, ...upload, `${url}/to@example.com`],
      });
    } else cases.push({ what, code, curl: [...extra, url], parley: [...extra, url] });
  }

  beforeAll(async () => {
    writeFileSync(mail, 'Subject: hello\r\n\r\nthe body\r\n');
    const silent = await startSilentServer();
    const closing = await startTalkingServer((socket) => socket.end());
    const notFound = await startRawServer((socket) =>
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\nconnection: close\r\n\r\ngone'),
    );
    const ftpLoginDenied = await lineServer('220 ready', (verb) =>
      verb === 'USER' ? '331 password please' : verb === 'PASS' ? '530 Login incorrect' : '221 bye',
    );
    const smtpAuthDenied = await lineServer('220 ready ESMTP', (verb) =>
      verb === 'EHLO'
        ? '250-hello\r\n250 AUTH PLAIN LOGIN'
        : verb === 'AUTH'
          ? '535 5.7.8 Authentication credentials invalid'
          : '221 bye',
    );
    servers.push(silent, closing, notFound, ftpLoginDenied, smtpAuthDenied);
    const at = (server: RawServer, scheme: string) => `${scheme}://127.0.0.1:${server.port}`;
    for (const scheme of ['http', 'ftp', 'smtp']) {
      both(`${scheme}: unknown scheme`, 1, `${scheme}x://127.0.0.1:1`);
      both(`${scheme}: malformed URL`, 3, `${scheme}://[::1`);
      both(`${scheme}: a host that does not resolve`, 6, `${scheme}://no-such-host.invalid`);
      both(`${scheme}: a port nobody listens on`, 7, `${scheme}://127.0.0.1:1`);
      both(`${scheme}: a -T file that is missing`, 26, at(silent, scheme), ['-T', missing]);
      both(`${scheme}: a peer that never speaks, --max-time`, 28, at(silent, scheme), ['-m', '1']);
    }
    both('http: a connection closed with nothing said', 52, at(closing, 'http'));
    both('ftp: a connection closed before the greeting', 56, at(closing, 'ftp'));
    both('smtp: a connection closed before the greeting', 56, at(closing, 'smtp'));
    both('http: 404 with -f', 22, `${at(notFound, 'http')}/a.txt`, ['-f']);
    both('http: 404 without -f', 0, `${at(notFound, 'http')}/a.txt`);
    both('ftp: the login refused', 67, `${at(ftpLoginDenied, 'ftp')}/a.txt`, ['-u', 'me:wrong']);
    both('smtp: the login refused', 67, at(smtpAuthDenied, 'smtp'), ['-u', 'me:wrong']);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives the code curl gives, case by case', async () => {
    const seen: string[] = [];
    const expected: string[] = [];
    for (const { what, code, curl: curlArgs, parley: parleyArgs } of cases) {
      const run = await parley(['-s', '-o', '/dev/null', ...parleyArgs]);
      seen.push(`${what}: curl ${await curlExit(curlArgs)}, parley ${run.code}`);
      expected.push(`${what}: curl ${code}, parley ${code}`);
    }
    expect(seen).toEqual(expected);
  });
});
