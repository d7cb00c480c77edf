import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requirePeer } from '../../../test/support/peer.js';
import {
  BUILD_TIMEOUT_MS,
  buildParley,
  PARLEY_SHELL,
  parley,
  type Serving,
  serve,
  shell,
} from './support.js';

// Each test runs several processes of the built command: generous on a loaded machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasCurl = requirePeer('curl');

describe('parley serve, read-only, and the command against it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-serve-'));
  let serving: Serving;
  let http: string;
  let ftp: string;
  let mqtt: string;
  let ws: string;

  beforeAll(async () => {
    writeFileSync(join(dir, 'a.txt'), 'hello');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b.txt'), 'bee');
    writeFileSync(join(dir, 'big.bin'), Buffer.alloc(4 * 1024 * 1024, 7));
    symlinkSync('/etc/hostname', join(dir, 'link'));
    serving = await serve(dir);
    http = (serving.urls.http as string).replace(/\/$/, '');
    ftp = (serving.urls.ftp as string).replace(/\/$/, '');
    mqtt = serving.urls.mqtt as string;
    ws = (serving.urls.ws as string).replace(/\/$/, '');
  });
  afterAll(async () => {
    expect(await serving.stop()).toBe(0);
    expect(serving.output()).toContain('Closing...');
  });

  it('gets a file over HTTP, FTP (anonymous) and MQTT by one URL each, and lists folders', async () => {
    expect(await parley([`${http}/a.txt`])).toMatchObject({ code: 0, stdout: 'hello' });
    expect(await parley([`${ftp}/sub/b.txt`])).toMatchObject({ code: 0, stdout: 'bee' });
    expect(await parley([`${mqtt}/a.txt`])).toMatchObject({ code: 0, stdout: 'hello' });
    expect(ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/parley$/);
    expect(await parley([`${ws}/sub/b.txt`])).toMatchObject({ code: 0, stdout: 'bee' });
    const listing = await parley([`${ftp}/`]);
    expect(listing.stdout).toMatch(/- +5 .* a\.txt/);
    expect(listing.stdout).toMatch(/d +.* sub/);
    expect(listing.stdout).not.toContain('link');
    expect(serving.output()).toMatch(/http GET \/a\.txt ok/);
  });

  it('refuses writes while read-only, and never follows a symlink or leaves the folder', async () => {
    const put = await parley(['-f', '-d', 'x', `${http}/new.txt`]);
    expect(put.code).toBe(22);
    expect((await parley([`${http}/link`])).stderr).toContain('forbidden');
    expect((await parley([`${http}/../../etc/hostname`])).stderr).toContain('not_found');
  });

  it('-v shows the HTTP, FTP and MQTT dialogue on stderr', async () => {
    const overHttp = await parley(['-v', `${http}/a.txt`]);
    expect(overHttp.stderr).toContain('> http GET /a.txt HTTP/1.1');
    expect(overHttp.stderr).toContain('< http HTTP/1.1 200');
    expect(overHttp.stderr).toMatch(/< http content-length: 5/);
    const overFtp = await parley(['-v', `${ftp.replace('ftp://', 'ftp://someone:secret@')}/a.txt`]);
    expect(overFtp.stderr).toContain('> ftp PASS ****');
    expect(overFtp.stderr).not.toContain('secret');
    expect(overFtp.stderr).toMatch(
      /> ftp EPSV[\s\S]*< ftp 229[\s\S]*> ftp RETR \/a\.txt[\s\S]*< ftp 150[\s\S]*< ftp 226/,
    );
    const overMqtt = await parley(['-v', `${mqtt}/a.txt`]);
    expect(overMqtt.stderr).toMatch(/> mqtt PUBLISH topic=files\/GET\/a\.txt qos=1 id=\d+ payload=\d+B/);
  });

  it('--trace FILE writes the dialogue with payload bytes', async () => {
    const file = join(dir, '..', `trace-${process.pid}.txt`);
    expect((await parley(['--trace', file, `${http}/a.txt`])).code).toBe(0);
    const trace = readFileSync(file, 'utf8');
    expect(trace).toContain('> http GET /a.txt HTTP/1.1');
    expect(trace).toMatch(/68 65 6c 6c 6f +hello/);
  });

  it('-o streams to a file, -O names it after the URL, -I and -i show the header fields', async () => {
    const out = join(dir, '..', `out-${process.pid}.bin`);
    expect((await parley(['-s', '-o', out, `${http}/big.bin`])).code).toBe(0);
    expect(readFileSync(out).equals(readFileSync(join(dir, 'big.bin')))).toBe(true);
    const head = await parley(['-I', `${http}/a.txt`]);
    expect(head.stdout).toMatch(/^http ok\n[\s\S]*content-length: 5/);
    const include = await parley(['-i', `${http}/a.txt`]);
    expect(include.stdout).toMatch(/^http ok\n[\s\S]*\n\nhello$/);
  });

  it.runIf(hasCurl)('serves curl: an HTML index for browsers, the file itself', async () => {
    const index = await shell(`curl -s -H 'accept: text/html' ${http}/`);
    expect(index.stdout).toContain('<a href="/a.txt">a.txt</a>');
    expect((await shell(`curl -s ${ftp}/a.txt`)).stdout).toBe('hello');
  });

  it('ends quietly with 23 when the reader of stdout goes away', async () => {
    const piped = await shell(
      `set -o pipefail; ${PARLEY_SHELL} ${http}/big.bin 2>/tmp/parley-epipe-${process.pid} | head -c 10 >/dev/null; echo $?`,
    );
    expect(piped.stdout.trim()).toBe('23');
    expect(readFileSync(`/tmp/parley-epipe-${process.pid}`, 'utf8')).toBe('');
  });
});

describe('parley serve --write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-write-'));
  let serving: Serving;

  beforeAll(async () => {
    serving = await serve(dir, ['--write', '--user', 'demo', '--password', 'pw']);
  });
  afterAll(() => serving.stop());

  it('needs the login, then puts, appends (FTP, WebSocket), mails (SMTP) and deletes, all or nothing', async () => {
    const http = (serving.urls.http as string).replace(/\/$/, '');
    const ftp = (serving.urls.ftp as string).replace('ftp://', 'ftp://demo:pw@').replace(/\/$/, '');
    const smtp = (serving.urls.smtp as string).replace('smtp://', 'smtp://demo:pw@');
    expect((await parley(['-f', '-s', `${http}/`])).code).toBe(22);
    const file = join(dir, '..', `up-${process.pid}.txt`);
    writeFileSync(file, 'one ');
    const put = await parley(['-u', 'demo:pw', '-T', file, `${http}/docs/`]);
    expect(put, put.stderr).toMatchObject({ code: 0 });
    expect(readFileSync(join(dir, 'docs', `up-${process.pid}.txt`), 'utf8')).toBe('one ');
    expect((await parley(['-d', 'two', `${ftp}/docs/up-${process.pid}.txt`])).code).toBe(0);
    expect(readFileSync(join(dir, 'docs', `up-${process.pid}.txt`), 'utf8')).toBe('one two');
    const mail = await parley(['-v', '-d', 'a mail', `${smtp}/inbox`]);
    expect(mail.code).toBe(0);
    expect(mail.stderr).toContain('> smtp AUTH PLAIN ****');
    expect(mail.stderr).toMatch(/> smtp RCPT TO:<inbox@localhost>[\s\S]*< smtp 354/);
    expect(readFileSync(join(dir, 'inbox'), 'utf8')).toContain('a mail');
    // The WebSocket endpoint asks for the same login (its upgrade refused 401: 22, as curl).
    const ws = (serving.urls.ws as string).replace(/\/$/, '');
    expect((await parley(['-s', '-d', 'no', `${ws}/docs/up-${process.pid}.txt`])).code).toBe(22);
    const viaWs = await parley(['-u', 'demo:pw', '-d', ' three', `${ws}/docs/up-${process.pid}.txt`]);
    expect(viaWs, viaWs.stderr).toMatchObject({ code: 0 });
    expect(readFileSync(join(dir, 'docs', `up-${process.pid}.txt`), 'utf8')).toBe('one two three');
    expect((await parley(['-X', 'DELETE', `${ftp}/docs/up-${process.pid}.txt`])).code).toBe(0);
    expect((await parley(['-T', '/no/such/file', `${http}/x`])).code).toBe(26);
  });
});
