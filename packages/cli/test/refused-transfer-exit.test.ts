import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RawServer, startRawServer, startTalkingServer } from '../../../test/support/raw-server.js';
import { type ScriptedFtpServer, startScriptedFtpServer } from '../../../test/support/scripted-ftp-server.js';
import { BUILD_TIMEOUT_MS, buildParley, parley } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

/** FTP: logs anyone in; STOR takes the data then fails with `stored`; RETR and DELE fail with 550. */
function ftpServer(stored = '451 Local error: disk full'): Promise<ScriptedFtpServer> {
  const missing = (control: Socket): void => {
    control.write('550 No such file\r\n');
  };
  return startScriptedFtpServer({
    STOR: (control, _argument, data) => {
      control.write('150 Send it\r\n');
      void data.socket.then((socket) => {
        socket.on('data', () => {});
        socket.on('end', () => {
          socket.end();
          control.write(`${stored}\r\n`);
        });
      });
    },
    RETR: missing,
    DELE: missing,
  }).then(track);
}

/** SMTP: takes the envelope, refuses the message after its final dot with 554. */
function smtpServer(): Promise<RawServer> {
  return startTalkingServer((control) => {
    control.write('220 Ready\r\n');
    let inData = false;
    let buffered = '';
    control.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (inData) {
        if (!buffered.includes('\r\n.\r\n')) return;
        inData = false;
        buffered = '';
        control.write('554 5.7.1 Message refused\r\n');
        return;
      }
      for (let end = buffered.indexOf('\r\n'); end >= 0 && !inData; end = buffered.indexOf('\r\n')) {
        const verb = buffered.slice(0, 4).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (verb === 'EHLO') control.write('250 Hello\r\n');
        else if (verb === 'MAIL' || verb === 'RCPT') control.write('250 OK\r\n');
        else if (verb === 'DATA') {
          inData = true;
          control.write('354 Go ahead\r\n');
        } else if (verb === 'QUIT') control.end('221 Bye\r\n');
        else control.write('502 Not implemented\r\n');
      }
    });
  }).then(track);
}

/** Remembers a server to close after the tests. */
function track<T extends Closable>(server: T): T {
  servers.push(server);
  return server;
}

/** A server the tests started. */
interface Closable {
  close(): Promise<void>;
}

const servers: Closable[] = [];
const file = join(tmpdir(), `parley-refused-${process.pid}.txt`);
const output = join(tmpdir(), `parley-refused-out-${process.pid}.txt`);
beforeAll(() => writeFileSync(file, 'Subject: hello\r\n\r\nthe body\r\n'));
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(file, { force: true });
  rmSync(output, { force: true });
});

describe('a transfer the peer refuses fails the command, without -f, where curl fails it', () => {
  it('FTP: a STOR refused after its data (451) is exit 25, never success', async () => {
    const { url } = await ftpServer();
    const run = await parley(['-T', file, `${url}/up.txt`]);
    expect(run).toEqual({
      code: 25,
      stdout: '',
      stderr: 'parley: The peer refused: internal (ftp PUT /up.txt): Local error: disk full\n',
    });
  });

  it("FTP: a STOR refused after its data as forbidden (a read-only server's 550) is 25, not 9", async () => {
    const { url } = await ftpServer('550 Forbidden: This folder is served read-only');
    const run = await parley(['-T', file, `${url}/up.txt`]);
    expect(run).toMatchObject({ code: 25, stdout: '' });
    expect(run.stderr).toContain('served read-only');
  });

  it('FTP: a RETR refused (550) is exit 78, and -o writes no file of the reply text', async () => {
    const { url } = await ftpServer();
    const run = await parley(['-o', output, `${url}/missing.txt`]);
    expect(run).toMatchObject({ code: 78, stdout: '' });
    expect(run.stderr).toContain('No such file');
    expect(existsSync(output)).toBe(false);
  });

  it("FTP: a refused DELE is exit 21, as curl's -Q 'DELE missing.txt'", async () => {
    const { url } = await ftpServer();
    const run = await parley(['-X', 'DELETE', `${url}/missing.txt`]);
    expect(run.code).toBe(21);
  });

  it('SMTP: a message refused after its final dot (554) is exit 55, with the reply shown', async () => {
    const { port } = await smtpServer();
    const run = await parley(['-T', file, `smtp://127.0.0.1:${port}/to@example.com`]);
    expect(run).toMatchObject({ code: 55, stdout: '' });
    expect(run.stderr).toContain('554 5.7.1 Message refused');
  });

  it('-f changes none of those codes, as with curl: FTP 78 and 25, SMTP 55', async () => {
    const ftpUrl = (await ftpServer()).url;
    expect((await parley(['-f', `${ftpUrl}/missing.txt`])).code).toBe(78);
    expect((await parley(['-f', '-T', file, `${ftpUrl}/up.txt`])).code).toBe(25);
    const { port } = await smtpServer();
    const mail = await parley(['-f', '-T', file, `smtp://127.0.0.1:${port}/to@example.com`]);
    expect(mail.code).toBe(55);
    expect(mail.stderr).toContain('554 5.7.1 Message refused');
  });

  it('HTTP keeps curl rule: a failure answered is written, exit 0 without -f', async () => {
    const { port } = track(
      await startRawServer((socket) =>
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\nconnection: close\r\n\r\ngone'),
      ),
    );
    expect(await parley(['-s', `http://127.0.0.1:${port}/a.txt`])).toMatchObject({ code: 0, stdout: 'gone' });
  });
});
