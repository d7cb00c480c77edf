import { type ChildProcess, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createRouter, createServer, respond, type Server } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { ws } from '@parley/ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { hasPeer, requirePeer } from '../../../test/support/peer.js';
import { freePort, waitForPort } from '../../../test/support/ports.js';
import { BUILD_TIMEOUT_MS, buildParley, PARLEY, parley, plainHttpServer } from './support.js';

// Real peers and the built command, each run a process: generous on a loaded machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const python = (module: string) => hasPeer('/usr/bin/python3', ['-c', `import ${module}`]);
const hasPyftpdlib = requirePeer('pyftpdlib', python('pyftpdlib'));
const hasAiosmtpd = requirePeer('aiosmtpd', python('aiosmtpd'));
const hasMosquitto = requireMosquitto();

const dir = mkdtempSync(join(tmpdir(), 'parley-cli-peers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The programs {@link daemon} started, stopped after the file's tests. */
const daemons: ChildProcess[] = [];
// Registered here, not by each `daemon` call: a hook registered while a `beforeAll` runs is never called.
afterAll(() => {
  for (const child of daemons.splice(0)) child.kill('SIGTERM');
});

/** Starts a long-running program and stops it (SIGTERM) after the file's tests. */
function daemon(command: string, args: readonly string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  daemons.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  child.once('exit', (code) => {
    if (code !== null && code !== 0) console.error(`${command} exited ${code}: ${output}`);
  });
  return child;
}

/** The body of the only mail in a Maildir. */
function onlyMail(maildir: string): string {
  const files = readdirSync(join(maildir, 'new'));
  expect(files).toHaveLength(1);
  return readFileSync(join(maildir, 'new', files[0] as string), 'utf8');
}

describe.runIf(hasPyftpdlib)('parley against pyftpdlib', () => {
  const root = join(dir, 'ftp');
  let url: string;

  beforeAll(async () => {
    mkdirSync(root);
    writeFileSync(join(root, 'hello.txt'), 'hello from pyftpdlib\n');
    const port = await freePort();
    daemon('/usr/bin/python3', [
      '-m',
      'pyftpdlib',
      '-i',
      '127.0.0.1',
      '-p',
      String(port),
      '-w',
      '-d',
      root,
      '-u',
      'demo',
      '-P',
      'pw',
    ]);
    await waitForPort(port, 60_000);
    url = `ftp://demo:pw@127.0.0.1:${port}`;
  });

  it('-o downloads a file, -T uploads one, a / lists, a wrong password is exit 67', async () => {
    const out = join(dir, 'from-ftp.txt');
    expect(await parley(['-o', out, `${url}/hello.txt`])).toMatchObject({ code: 0 });
    expect(readFileSync(out, 'utf8')).toBe('hello from pyftpdlib\n');
    const upload = join(dir, 'upload.bin');
    writeFileSync(upload, Buffer.alloc(3 * 1024 * 1024 + 17, 'x'));
    const put = await parley(['-T', upload, `${url}/`]);
    expect(put, put.stderr).toMatchObject({ code: 0 });
    expect(readFileSync(join(root, 'upload.bin')).equals(readFileSync(upload))).toBe(true);
    expect((await parley([`${url}/`])).stdout).toMatch(/- +3145745 .* upload\.bin/);
    const denied = await parley([`${url.replace(':pw@', ':wrong@')}/hello.txt`]);
    expect(denied.code).toBe(67);
  });

  it("-o writes a large download whole (chunks lent from the read buffer), after -i's head, and a full disk is exit 23", async () => {
    const bytes = Buffer.alloc(6 * 1024 * 1024 + 5);
    for (let i = 0; i + 4 <= bytes.length; i += 4) bytes.writeUInt32LE(i, i);
    writeFileSync(join(root, 'large.bin'), bytes);
    const out = join(dir, 'large.bin');
    expect(await parley(['-s', '-o', out, `${url}/large.bin`])).toMatchObject({ code: 0 });
    expect(readFileSync(out).equals(bytes)).toBe(true);
    expect(await parley(['-s', '-i', '-o', out, `${url}/large.bin`])).toMatchObject({ code: 0 });
    const written = readFileSync(out);
    expect(written.subarray(0, 7).toString()).toBe('ftp ok\n');
    expect(written.subarray(written.length - bytes.length).equals(bytes)).toBe(true);
    if (existsSync('/dev/full')) {
      const full = await parley(['-o', '/dev/full', `${url}/large.bin`]);
      expect(full.code).toBe(23);
      expect(full.stderr).toMatch(/ENOSPC/);
    }
  });

  it('-C - resumes a download with REST, and ends at once when the file is whole', async () => {
    const bytes = Buffer.from(Array.from({ length: 500_000 }, (_, i) => (i * 31 + (i >> 10)) & 0xff));
    writeFileSync(join(root, 'resume.bin'), bytes);
    const out = join(dir, 'resume.bin');
    writeFileSync(out, bytes.subarray(0, 123_456));
    const resumed = await parley(['-s', '-C', '-', '-o', out, `${url}/resume.bin`]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(readFileSync(out).equals(bytes)).toBe(true);
    const again = await parley(['-C', '-', '-o', out, `${url}/resume.bin`]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Nothing left to get');
    expect(readFileSync(out).equals(bytes)).toBe(true);
  });
});

describe.runIf(hasAiosmtpd)('parley against aiosmtpd', () => {
  const maildir = join(dir, 'maildir');
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    daemon('/usr/bin/python3', [
      '-m',
      'aiosmtpd',
      '-n',
      '-l',
      `127.0.0.1:${port}`,
      '-c',
      'aiosmtpd.handlers.Mailbox',
      maildir,
    ]);
    await waitForPort(port, 60_000);
    url = `smtp://127.0.0.1:${port}`;
  });

  it("-d POSTs a mail to the URL path's mailbox; GET is refused before the network (exit 4)", async () => {
    const post = await parley(['-v', '-H', 'subject: from parley', '-d', 'a note by mail', `${url}/notes`]);
    expect(post, post.stderr).toMatchObject({ code: 0 });
    expect(post.stderr).toMatch(/> smtp RCPT TO:<notes@localhost>[\s\S]*< smtp 250/);
    const mail = onlyMail(maildir);
    expect(mail).toMatch(/^Subject: from parley$/m);
    expect(mail).toMatch(/^Content-Transfer-Encoding: base64$/m);
    const body = mail.slice(mail.indexOf('\n\n') + 2);
    expect(Buffer.from(body, 'base64').toString()).toBe('a note by mail');
    expect((await parley([`${url}/notes`])).code).toBe(4);
  });
});

describe.runIf(hasMosquitto)('parley through mosquitto', () => {
  let broker: Mosquitto;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    broker = await startMosquitto();
    const notes = new Map([['a.txt', 'note a']]);
    server = createServer(
      createRouter()
        .get('/notes/:name', async (req) => {
          const text = notes.get(req.params.name ?? '');
          return text === undefined ? respond('not_found', 'no such note') : respond('ok', text);
        })
        .put('/notes/:name', async (req) => {
          notes.set(req.params.name ?? '', await req.body.text());
          return respond('created');
        }),
    );
    await server.listen(mqtt(`${broker.url}/svc`));
    url = `${broker.url}/svc`;
  });
  afterAll(async () => {
    await server?.close({ timeoutMs: 1_000 });
    await broker?.stop();
  });

  it('GETs and PUTs through mosquitto to a Parley server', async () => {
    expect(await parley([`${url}/notes/a.txt`])).toMatchObject({ code: 0, stdout: 'note a' });
    const put = await parley(['-X', 'PUT', '-d', 'note b', `${url}/notes/b.txt`]);
    expect(put, put.stderr).toMatchObject({ code: 0 });
    expect((await parley([`${url}/notes/b.txt`])).stdout).toBe('note b');
    const verbose = await parley(['-v', `${url}/notes/missing.txt`]);
    expect(verbose.stdout).toBe('no such note');
    expect(verbose.stderr).toMatch(/> mqtt PUBLISH topic=svc\/GET\/notes\/missing\.txt/);
    // The dialogue starts where the wire does: CONNECT, its version and keep-alive, then CONNACK.
    expect(verbose.stderr).toMatch(
      /> mqtt CONNECT client=\S+ version=5 keepalive=\d+s .*maximumPacketSize.*\n< mqtt CONNACK reason=0/,
    );
  });

  it('parley subscribe prints what the Parley server publishes, and ends on SIGINT with 0', async () => {
    const child = spawn(process.execPath, [...PARLEY, '-v', 'subscribe', url, '/notes/*']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(stderr).toMatch(/< mqtt SUBACK/), { timeout: 120_000, interval: 100 });
      // Publishing until it is seen: a SUBACK may precede the broker's routing by a moment.
      await vi.waitFor(
        async () => {
          await server.publish('/notes/a.txt', 'changed');
          expect(stdout).toContain('/notes/a.txt\tchanged\n');
        },
        { timeout: 60_000, interval: 500 },
      );
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('parley publish sends an event a Parley subscriber gets', async () => {
    const client = createClient(mqtt(url));
    const stop = new AbortController();
    try {
      const events = client.subscribe('/notes/*', { signal: stop.signal })[Symbol.asyncIterator]();
      const first = events.next();
      // The subscription is made on the first next(); publish until the event arrives.
      let received: string | undefined;
      void first.then(async (result) => {
        if (!result.done) received = `${result.value.path} ${await result.value.body.text()}`;
      });
      await vi.waitFor(
        async () => {
          const published = await parley(['publish', url, '/notes/c.txt', '-d', 'published']);
          expect(published, published.stderr).toMatchObject({ code: 0 });
          expect(received).toBe('/notes/c.txt published');
        },
        { timeout: 120_000, interval: 200 },
      );
    } finally {
      stop.abort();
      await client.close();
    }
  });
});

describe('parley over WebSocket (ws://) to a Parley server', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const notes = new Map<string, string>();
    server = createServer(
      createRouter()
        .put('/notes/:name', async (req) => {
          notes.set(req.params.name ?? '', await req.body.text());
          return respond('created');
        })
        .get('/notes/:name', async (req) => {
          const text = notes.get(req.params.name ?? '');
          return text === undefined ? respond('not_found', 'no such note') : respond('ok', text);
        }),
    );
    url = (await server.listen(ws('ws://127.0.0.1:0/parley'))).url.replace(/\/$/, '');
  });
  afterAll(() => server.close({ timeoutMs: 1_000 }));

  it('PUTs a file and GETs it back, the endpoint being the first path segment', async () => {
    const file = join(dir, 'ws.txt');
    writeFileSync(file, 'over a websocket');
    const put = await parley(['-T', file, `${url}/notes/`]);
    expect(put, put.stderr).toMatchObject({ code: 0, stderr: 'created (ws PUT /notes/ws.txt)\n' });
    expect(await parley([`${url}/notes/ws.txt`])).toMatchObject({ code: 0, stdout: 'over a websocket' });
    expect((await parley(['-f', `${url}/notes/none.txt`])).code).toBe(22);
    expect((await parley(['contract', url])).stdout).toMatch(/^protocol +ws$/m);
  });
});

describe('-L over real HTTP redirects, and --max-time', () => {
  let base: string;
  let stop: () => void;

  beforeAll(async () => {
    ({ base, stop } = await plainHttpServer((req, res) => {
      const hop = (code: number, location: string) => res.writeHead(code, { location }).end(`moved ${code}`);
      if (req.url === '/a') return hop(301, '/b');
      if (req.url === '/b') return hop(302, 'c');
      if (req.url === '/c') return hop(307, `${base}/final`);
      if (req.url === '/final') return res.end('arrived');
      if (req.url === '/loop') return hop(302, '/loop');
      if (req.url === '/slow-head') return undefined; // never answers
      if (req.url === '/slow-body') {
        res.writeHead(200, { 'content-length': '100' });
        return res.write('a start, and nothing more');
      }
      return res.writeHead(404).end();
    }));
  });
  afterAll(() => stop());

  it('follows 301, 302 and 307 with -L; without it shows the redirect and its location', async () => {
    expect(await parley(['-L', `${base}/a`])).toMatchObject({ code: 0, stdout: 'arrived' });
    const plain = await parley(['-i', `${base}/a`]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^location: \/b$/m);
    expect(plain.stdout).toMatch(/moved 301$/);
    expect((await parley(['-L', '-s', `${base}/loop`])).code).toBe(47);
  });

  it('--max-time ends a stalled answer and a stalled body with exit 28', async () => {
    const head = await parley(['--max-time', '1', `${base}/slow-head`]);
    expect(head.code).toBe(28);
    expect(head.stderr).toContain('Timed out after 1000 ms');
    expect((await parley(['-s', '--max-time', '1', `${base}/slow-body`])).code).toBe(28);
  });
});
