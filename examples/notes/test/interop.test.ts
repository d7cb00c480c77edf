import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mosquitto, requireMosquitto, startMosquitto } from '../../../test/support/mosquitto.js';
import { requirePeers } from '../../../test/support/peer.js';
import { portOf, startTestService, type TestService } from './helpers.js';

const run = promisify(execFile);
const ready = requirePeers('curl', 'lftp', 'swaks', 'mosquitto_rr', 'mosquitto_sub') && requireMosquitto();

describe.runIf(ready)('the notes service with real tools: curl, lftp, swaks, mosquitto_rr', () => {
  let service: TestService;
  let work: string;
  let mosquitto: Mosquitto;
  let http: string;
  let ftpPort: number;
  let smtpPort: number;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'parley-notes-interop-'));
    mosquitto = await startMosquitto();
    service = await startTestService({ PARLEY_MQTT_URL: `mqtt://127.0.0.1:${mosquitto.port}` });
    http = service.urls.http.replace(/\/$/, '');
    ftpPort = portOf(service.urls.ftp);
    smtpPort = portOf(service.urls.smtp);
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await mosquitto?.stop();
    await rm(work, { recursive: true, force: true });
  });

  const curl = async (...args: string[]): Promise<string> => (await run('curl', ['-sS', ...args])).stdout;

  it('curl over HTTP: PUT, GET, HEAD, list, DELETE, a bad name', async () => {
    const file = join(work, 'curl.txt');
    await writeFile(file, 'put by curl\n');
    expect(await curl('-T', file, `${http}/notes/curl.txt`)).toBe('{"name":"curl.txt","size":12}');
    expect(await curl(`${http}/notes/curl.txt`)).toBe('put by curl\n');
    const head = await curl('-I', `${http}/notes/curl.txt`);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(head).toMatch(/content-length: 12/i);
    expect(head).toMatch(/content-type: text\/plain; charset=utf-8/i);
    expect(JSON.parse(await curl(`${http}/notes/`))).toContainEqual(
      expect.objectContaining({ name: 'curl.txt', type: 'file', size: 12 }),
    );
    expect(
      await curl('-o', '/dev/null', '-w', '%{http_code}', '-X', 'DELETE', `${http}/notes/curl.txt`),
    ).toBe('204');
    expect(await curl('-o', '/dev/null', '-w', '%{http_code}', `${http}/notes/curl.txt`)).toBe('404');
    expect(await curl('-w', ' %{http_code}', '-X', 'PUT', '-d', 'x', `${http}/notes/.env`)).toBe(
      'A note name may not start with a dot 400',
    );
  });

  it('curl over FTP: upload into /notes/, download, list, delete, wrong password', async () => {
    const file = join(work, 'curl-ftp.txt');
    await writeFile(file, 'uploaded by curl\n');
    const base = `ftp://demo:demo@127.0.0.1:${ftpPort}`;
    await curl('-T', file, `${base}/notes/`);
    expect(await readFile(join(service.dataDir, 'curl-ftp.txt'), 'utf8')).toBe('uploaded by curl\n');
    expect(await curl(`${base}/notes/curl-ftp.txt`)).toBe('uploaded by curl\n');
    expect(await curl('-l', `${base}/notes/`)).toMatch(/^curl-ftp\.txt\r?$/m);
    await curl('-Q', 'DELE notes/curl-ftp.txt', `${base}/`);
    await expect(run('curl', ['-sS', `${base}/notes/curl-ftp.txt`])).rejects.toMatchObject({ code: 78 });
    await expect(run('curl', ['-sS', `ftp://demo:nope@127.0.0.1:${ftpPort}/notes/`])).rejects.toMatchObject({
      code: 67,
    });
  });

  it('lftp: put, ls, get, append, rm', async () => {
    const file = join(work, 'lftp.txt');
    await writeFile(file, 'sent by lftp\n');
    const script = [
      'set cmd:fail-exit yes',
      'set net:max-retries 1',
      'cd notes',
      `lcd ${work}`,
      'put lftp.txt',
      'ls',
      `get lftp.txt -o ${join(work, 'lftp-back.txt')}`,
      'bye',
    ].join('; ');
    const { stdout } = await run('lftp', [
      '-u',
      'demo,demo',
      '-p',
      String(ftpPort),
      '-e',
      script,
      '127.0.0.1',
    ]);
    expect(stdout).toMatch(/lftp\.txt/);
    expect(await readFile(join(work, 'lftp-back.txt'), 'utf8')).toBe('sent by lftp\n');
    await run('lftp', [
      '-u',
      'demo,demo',
      '-p',
      String(ftpPort),
      '-e',
      'set cmd:fail-exit yes; rm notes/lftp.txt; bye',
      '127.0.0.1',
    ]);
    expect(await curl('-o', '/dev/null', '-w', '%{http_code}', `${http}/notes/lftp.txt`)).toBe('404');
  });

  it('swaks: a mail becomes a note, a mail to notes+<name> appends, unknown mailboxes are refused', async () => {
    const swaks = (...args: string[]) => run('swaks', ['--server', `127.0.0.1:${smtpPort}`, ...args]);
    await swaks('--to', 'notes@localhost', '--header', 'Subject: swaks.txt', '--body', 'hi');
    expect(await curl(`${http}/notes/swaks.txt`)).toBe('hi\n');
    await swaks('--to', 'notes+swaks.txt@localhost', '--body', 'again');
    expect(await curl(`${http}/notes/swaks.txt`)).toBe('hi\nagain\n');
    const refused = await swaks('--to', 'nobody@localhost').catch((error: { stdout: string }) => error);
    expect(refused.stdout).toMatch(/<\*\* +550 5\.1\.1/);
    const badName = await swaks('--to', 'notes@localhost', '--header', 'Subject: .hidden').catch(
      (error: { stdout: string }) => error,
    );
    expect(badName.stdout).toMatch(/<\*\* +5\d\d .*may not start with a dot/);
  });

  it('mosquitto_rr (MQTT 5 request/response through mosquitto): PUT then GET', async () => {
    const rr = async (method: string, path: string, ...message: string[]) =>
      (
        await run('mosquitto_rr', [
          ...['-h', '127.0.0.1', '-p', String(mosquitto.port), '-q', '1', '-W', '10'],
          ...['-t', `notes-service/${method}${path}`, '-e', `rr-replies/${process.pid}`],
          ...(message.length > 0 ? ['-m', ...message] : ['-n']),
          ...['-F', '%P|%p'],
        ])
      ).stdout;
    expect(await rr('PUT', '/notes/rr.txt', 'from mosquitto_rr')).toMatch(
      /created.*\|\{"name":"rr.txt","size":17\}/,
    );
    expect(await rr('GET', '/notes/rr.txt')).toMatch(/\|from mosquitto_rr$/m);
    expect(await rr('GET', '/notes/missing.txt')).toMatch(/not_found/);
  });

  it('mosquitto_sub sees the change events the service publishes', async () => {
    const sub = spawn('mosquitto_sub', [
      ...['-h', '127.0.0.1', '-p', String(mosquitto.port), '-t', 'notes-service/events/#', '-C', '1', '-v'],
      ...['-W', '10'],
    ]);
    let out = '';
    sub.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    let exited = false;
    const done = new Promise<number | null>((resolve) =>
      sub.once('exit', (code) => {
        exited = true;
        resolve(code);
      }),
    );
    // The subscription takes a moment to reach the broker: write until the first event is seen.
    for (let i = 0; i < 50 && !exited; i++) {
      await curl('-X', 'PUT', '-d', 'event!', `${http}/notes/event.txt`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await done).toBe(0);
    expect(out).toMatch(/^notes-service\/events\/notes\/event\.txt /);
    expect(out).toMatch(/"type":"(created|updated)","name":"event.txt","size":6,"protocol":"http"/);
  });
});

describe.runIf(requirePeers('mosquitto_rr'))(
  'the notes service on its embedded broker with mosquitto_rr',
  () => {
    let service: TestService;

    beforeAll(async () => {
      service = await startTestService();
    }, 60_000);
    afterAll(() => service?.stop());

    it('mosquitto_rr -V 311 reads a note through the embedded aedes broker', async () => {
      await writeFile(join(service.dataDir, 'embedded.txt'), 'over aedes');
      const { stdout } = await run('mosquitto_rr', [
        ...['-V', '311', '-h', '127.0.0.1', '-p', String(portOf(service.urls.mqtt)), '-W', '10'],
        ...['-t', 'notes-service/GET/notes/embedded.txt', '-e', 'notes-service/reply/GET/notes/embedded.txt'],
        ...['-m', ''],
      ]);
      expect(stdout.trim()).toBe('over aedes');
    });
  },
);
