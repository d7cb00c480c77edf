import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestService, type TestService } from '../../../examples/notes/test/helpers.js';
import { BUILD_TIMEOUT_MS, buildParley, PARLEY_SHELL, ROOT, type Run } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The `parley` lines of the README's quick tour (the `pnpm start` section), as written. */
function tourLines(): string[] {
  const section = readme.slice(readme.indexOf('Then try it with the tools you know'));
  const block = /or with `parley`[\s\S]*?```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('No parley block in the quick tour');
  return block.split('\n').filter((line) => line.startsWith('parley '));
}

describe("the README's quick tour with parley, against the notes service", () => {
  let service: TestService;
  const cwd = mkdtempSync(join(tmpdir(), 'parley-tour-'));
  /** The default ports of `pnpm start` in the README, to the free ones of this test's service. */
  let ports: [string, string][];

  beforeAll(async () => {
    writeFileSync(join(cwd, 'hello.txt'), 'hello\n');
    service = await startTestService();
    const port = (url: string) => new URL(url).port;
    ports = [
      ['8080', port(service.urls.http)],
      ['2121', port(service.urls.ftp)],
      ['2525', port(service.urls.smtp)],
      ['1883', port(service.urls.mqtt)],
    ];
  });
  afterAll(async () => {
    await service.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  /** Starts a README line in bash, `parley` being the built command, in a folder with hello.txt. */
  function startLine(line: string) {
    let script = line;
    for (const [from, to] of ports) script = script.replaceAll(`127.0.0.1:${from}`, `127.0.0.1:${to}`);
    // `exec`: the command is the process itself, as typed in a shell, and gets its signals.
    const child = spawn('bash', ['-c', script.replace(/^parley /, `exec ${PARLEY_SHELL} `)], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const done = new Promise<Run>((resolve) =>
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      }),
    );
    return { child, done, stdout: () => stdout };
  }

  const runLine = (line: string): Promise<Run> => startLine(line).done;

  it('runs every line as written, each doing what its comment says', async () => {
    const lines = tourLines();
    expect(lines).toHaveLength(7);
    const [get, upload, mail, overMqtt, verboseHttp, verboseFtp] = lines as [string, ...string[]];
    // The PUT of the curl lines above, by parley.
    const put = await runLine(
      (upload as string).replace('ftp://demo:demo@127.0.0.1:2121', 'http://127.0.0.1:8080'),
    );
    expect(put, put.stderr).toMatchObject({ code: 0 });
    expect(await runLine(get)).toMatchObject({ code: 0, stdout: 'hello\n' });
    expect(await runLine(upload as string)).toMatchObject({ code: 0 });
    expect(await runLine(mail as string)).toMatchObject({ code: 0 });
    expect(await runLine(overMqtt as string)).toMatchObject({ code: 0, stdout: 'sent by mail\n' });
    const http = await runLine(verboseHttp as string);
    expect(http.stdout).toBe('hello\n');
    expect(http.stderr).toMatch(/^> http GET \/notes\/hello\.txt HTTP\/1\.1$/m);
    const ftp = await runLine(verboseFtp as string);
    expect(ftp.stdout).toBe('hello\n');
    expect(ftp.stderr).toMatch(/^> ftp RETR \/notes\/hello\.txt$/m);
  });

  it('subscribe prints a change as it happens, and Ctrl-C ends it', async () => {
    const subscribe = tourLines().find((line) => line.startsWith('parley subscribe')) as string;
    const running = startLine(subscribe);
    try {
      // Changes until one is seen: the subscription takes a moment to be made.
      await vi.waitFor(
        async () => {
          const put = await fetch(`${service.urls.http.replace(/\/$/, '')}/notes/changed.txt`, {
            method: 'PUT',
            body: 'changed',
          });
          expect(put.ok).toBe(true);
          expect(running.stdout()).toMatch(/^\/notes\/changed\.txt\t\{.*"name":"changed\.txt"/m);
        },
        { timeout: 120_000, interval: 1_000 },
      );
    } finally {
      running.child.kill('SIGINT');
    }
    expect((await running.done).code).toBe(0);
  });
});
