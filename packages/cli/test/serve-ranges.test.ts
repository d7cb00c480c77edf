import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requirePeers } from '../../../test/support/peer.js';
import { BUILD_TIMEOUT_MS, buildParley, parley, plainHttpServer, type Serving, serve } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasPeers = requirePeers('curl', 'wget');

/** A file's bytes that differ from offset to offset, so a part from the wrong place shows. */
const CONTENT = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));

function run(command: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.runIf(hasPeers)('parley serve sends parts of files: resumed downloads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-serve-ranges-'));
  const out = mkdtempSync(join(tmpdir(), 'parley-serve-ranges-out-'));
  let serving: Serving;
  let http: string;
  let ftp: string;

  beforeAll(async () => {
    writeFileSync(join(dir, 'big.bin'), CONTENT);
    writeFileSync(join(dir, 'a.txt'), 'hello world');
    serving = await serve(dir);
    http = (serving.urls.http as string).replace(/\/$/, '');
    ftp = (serving.urls.ftp as string).replace(/\/$/, '');
  });
  afterAll(async () => {
    expect(await serving.stop()).toBe(0);
  });

  it('resumes a download with curl -C - over HTTP and FTP, and with wget -c', () => {
    for (const [name, url, tool] of [
      ['http-curl', `${http}/big.bin`, 'curl'],
      ['ftp-curl', `${ftp}/big.bin`, 'curl'],
      ['http-wget', `${http}/big.bin`, 'wget'],
    ] as const) {
      const file = join(out, name);
      writeFileSync(file, CONTENT.subarray(0, 123_457));
      const result =
        tool === 'curl'
          ? run('curl', ['-sS', '-C', '-', '-o', file, url])
          : run('wget', ['-q', '-c', '-O', file, url]);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      expect(readFileSync(file).equals(CONTENT), name).toBe(true);
    }
  });

  it('answers HTTP ranges with 206 and content-range, and 416 past the end', () => {
    const part = run('curl', ['-sS', '-i', '-r', '100-104', `${http}/big.bin`]);
    expect(part.stdout).toMatch(/^HTTP\/1\.1 206 /);
    expect(part.stdout).toMatch(/content-range: bytes 100-104\/300000\r\n/i);
    expect(part.stdout).toMatch(/accept-ranges: bytes\r\n/i);
    const bytes = run('curl', ['-sS', '-r', '-5', `${http}/a.txt`]);
    expect(bytes.stdout).toBe('world');
    const past = run('curl', ['-sS', '-i', '-r', '300000-', `${http}/big.bin`]);
    expect(past.stdout).toMatch(/^HTTP\/1\.1 416 /);
    expect(past.stdout).toMatch(/content-range: bytes \*\/300000\r\n/i);
    // A file already whole: curl -C - takes the 416 for "nothing left to get".
    const whole = join(out, 'whole');
    writeFileSync(whole, CONTENT);
    expect(run('curl', ['-sS', '-C', '-', '-o', whole, `${http}/big.bin`]).code).toBe(0);
    expect(readFileSync(whole).equals(CONTENT)).toBe(true);
  });

  it('sends the whole file when If-Range names an older version', () => {
    const stale = run('curl', [
      '-sS',
      '-i',
      '-r',
      '0-1',
      '-H',
      'If-Range: Thu, 01 Jan 2015 00:00:00 GMT',
      `${http}/a.txt`,
    ]);
    expect(stale.stdout).toMatch(/^HTTP\/1\.1 200 /);
    expect(stale.stdout.endsWith('hello world')).toBe(true);
  });

  it("answers 304 to a copy that is current: curl's --etag-compare and -z", () => {
    const tag = join(out, 'etag.txt');
    const first = run('curl', ['-sS', '--etag-save', tag, `${http}/a.txt`]);
    expect(first.stdout).toBe('hello world');
    expect(readFileSync(tag, 'utf8')).toMatch(/^"[0-9a-f]+-b"/);
    const again = run('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--etag-compare',
      tag,
      `${http}/a.txt`,
    ]);
    expect(again.stdout).toBe('304');
    // -z FILE asks If-Modified-Since the local copy's time: one written after the served file.
    const copy = join(out, 'copy.txt');
    writeFileSync(copy, 'hello world');
    const since = run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-z', copy, `${http}/a.txt`]);
    expect(since.stdout).toBe('304');
    const older = run('curl', ['-sS', '-w', ' %{http_code}', '-z', '1 Jan 2015', `${http}/a.txt`]);
    expect(older.stdout).toBe('hello world 200');
  });

  it("reads an FTP REST offset from the file's offset (Python's ftplib)", () => {
    const script = [
      'import ftplib, sys',
      `f = ftplib.FTP(); f.connect('127.0.0.1', ${new URL(ftp).port}); f.login()`,
      'parts = []',
      "f.retrbinary('RETR big.bin', parts.append, rest=299990)",
      'sys.stdout.write(b"".join(parts).hex()); f.quit()',
    ].join('\n');
    const result = run('/usr/bin/python3', ['-c', script]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(CONTENT.subarray(299_990).toString('hex'));
  });

  it('parley -C - resumes over HTTP, FTP, MQTT and WebSocket, and ends at once when nothing is left', async () => {
    const urls = [http, ftp, serving.urls.mqtt as string, (serving.urls.ws as string).replace(/\/$/, '')];
    for (const base of urls) {
      const file = join(out, `parley-${new URL(base).protocol.replace(':', '')}`);
      writeFileSync(file, CONTENT.subarray(0, 200_001));
      const resumed = await parley(['-s', '-C', '-', '-o', file, `${base}/big.bin`]);
      expect(resumed.code, `${base}: ${resumed.stderr}`).toBe(0);
      expect(readFileSync(file).equals(CONTENT), base).toBe(true);
      const again = await parley(['-C', '-', '-o', file, `${base}/big.bin`]);
      expect(again.code, `${base}: ${again.stderr}`).toBe(0);
      expect(again.stderr).toContain('Nothing left to get');
      expect(readFileSync(file).equals(CONTENT), base).toBe(true);
    }
    // -C OFFSET to stdout: the part alone.
    expect(await parley(['-C', '6', `${http}/a.txt`])).toMatchObject({ code: 0, stdout: 'world' });
  });

  it('parley -C ends with 33 when the peer sends the whole body, and refuses what it cannot resume', async () => {
    const plain = await plainHttpServer((_request, response) => response.end('whole body, no ranges'));
    try {
      const file = join(out, 'no-ranges');
      writeFileSync(file, 'whole');
      const refused = await parley(['-C', '-', '-o', file, `${plain.base}/x`]);
      expect(refused.code).toBe(33);
      expect(refused.stderr).toMatch(/Cannot resume: the peer sent the whole body/);
      expect(readFileSync(file, 'utf8')).toBe('whole');
    } finally {
      plain.stop();
    }
    expect((await parley(['-C', '-', `${http}/a.txt`])).code).toBe(2);
    expect((await parley(['-C', '5', '-T', join(out, 'no-ranges'), `${http}/up.txt`])).code).toBe(2);
    expect((await parley(['-C', 'x', '-o', join(out, 'x'), `${http}/a.txt`])).code).toBe(2);
  });

  it('honours a range header from Parley clients over MQTT and WebSocket too', async () => {
    for (const base of [serving.urls.mqtt as string, (serving.urls.ws as string).replace(/\/$/, '')])
      expect(await parley(['-H', 'range: bytes=6-', `${base}/a.txt`]), base).toMatchObject({
        code: 0,
        stdout: 'world',
      });
  });
});
