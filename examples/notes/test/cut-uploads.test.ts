import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { startTestService, type TestService } from './helpers.js';

const exampleDir = fileURLToPath(new URL('..', import.meta.url));

/** Reads an FTP or SMTP control connection reply by reply (the last line of each). */
function replies(socket: Socket): () => Promise<string> {
  let buffered = '';
  const ready: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  socket.on('data', (data: Buffer) => {
    buffered += data.toString();
    for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (!/^\d{3} /.test(line)) continue;
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else ready.push(line);
    }
  });
  return () =>
    new Promise((resolve) => {
      const line = ready.shift();
      if (line === undefined) waiting.push(resolve);
      else resolve(line);
    });
}

/** The temporary file of an upload in progress (the note's lock sits beside it while it is written). */
function isUpload(name: string): boolean {
  return name.startsWith('.upload-');
}

async function connected(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

describe('the notes service with uploads cut off midway', () => {
  let service: TestService;
  const port = (url: string | undefined): number => Number(new URL(url ?? '').port);

  beforeAll(async () => {
    service = await startTestService();
  });

  afterAll(async () => {
    await service?.stop();
  });

  /** Waits until the service finished with the cut upload, then checks nothing of it is there. */
  async function nothingKept(name: string): Promise<void> {
    await eventually(() => service.log.some((line) => line.includes(`/notes/${name}`)), {
      what: `the log line of ${name}`,
    });
    await eventually(async () => (await readdir(service.dataDir)).length === 0, { what: 'no file left' });
    expect(service.log.find((line) => line.includes(`/notes/${name}`))).not.toMatch(/ (ok|created) /);
  }

  it.each([
    ['a length', 'Content-Length: 200000'],
    ['chunks', 'Transfer-Encoding: chunked'],
  ])('over HTTP with %s, a connection closed midway keeps nothing', async (kind, field) => {
    const name = `cut-http-${kind === 'a length' ? 'length' : 'chunked'}.txt`;
    const socket = await connected(port(service.urls.http));
    socket.write(`PUT /notes/${name} HTTP/1.1\r\nHost: 127.0.0.1\r\n${field}\r\n\r\n`);
    socket.write(kind === 'chunks' ? `186a0\r\n${'a'.repeat(50_000)}` : 'a'.repeat(100_000));
    await eventually(async () => (await readdir(service.dataDir)).some(isUpload), {
      what: 'the temporary file',
    });
    socket.end();
    await nothingKept(name);
  });

  it.each([
    ['the data connection ends first', 'data'],
    ['the control connection drops first', 'control'],
  ])('over FTP, when %s, keeps nothing', async (_kind, first) => {
    const name = `cut-ftp-${first}.txt`;
    const control = await connected(port(service.urls.ftp));
    const next = replies(control);
    await next();
    for (const command of ['USER demo', 'PASS demo', 'TYPE I']) {
      control.write(`${command}\r\n`);
      await next();
    }
    control.write('EPSV\r\n');
    const passive = /\|\|\|(\d+)\|/.exec(await next());
    const data = await connected(Number(passive?.[1]));
    control.write(`STOR /notes/${name}\r\n`);
    expect(await next()).toMatch(/^150 /);
    // More than the 256 KiB the FTP server gathers before handing an upload on.
    data.write('a'.repeat(600_000));
    await eventually(async () => (await readdir(service.dataDir)).some(isUpload), {
      what: 'the temporary file',
    });
    // A client killed midway: the kernel closes both its connections.
    if (first === 'data') {
      data.destroy();
      control.destroy();
    } else {
      control.destroy();
      data.end();
    }
    await nothingKept(name);
  });

  it('over SMTP, a mail cut off before its final dot keeps nothing', async () => {
    const socket = await connected(port(service.urls.smtp));
    const next = replies(socket);
    await next();
    for (const command of ['EHLO client', 'MAIL FROM:<a@localhost>', 'RCPT TO:<notes@localhost>', 'DATA']) {
      socket.write(`${command}\r\n`);
      await next();
    }
    socket.write(`Subject: cut-smtp.txt\r\n\r\n${'a line of the mail\r\n'.repeat(5_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await readdir(service.dataDir)).toEqual([]);
  });

  it('over WebSocket, a client killed midway keeps nothing', async () => {
    const script = `
      import { createClient } from '@parley/core';
      import { ws } from '@parley/ws';
      const client = createClient(ws(process.argv[1]));
      async function* endless() {
        for (let i = 0; ; i++) {
          yield new Uint8Array(64 * 1024).fill(97);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      }
      await client.put('/notes/cut-ws.txt', endless());
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, service.urls.ws ?? ''],
      {
        cwd: exampleDir,
        stdio: 'ignore',
      },
    );
    await eventually(async () => (await readdir(service.dataDir)).some(isUpload), {
      what: 'the temporary file',
      timeoutMs: 20_000,
    });
    child.kill('SIGKILL');
    await nothingKept('cut-ws.txt');
  });
});
