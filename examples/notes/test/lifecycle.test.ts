import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { type ChildService, spawnService } from './helpers.js';

const run = promisify(execFile);
const exampleDir = fileURLToPath(new URL('..', import.meta.url));

describe('the service as a process', () => {
  let dataDir: string;
  let service: ChildService | undefined;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-notes-process-'));
  });

  afterEach(async () => {
    if (service !== undefined && service.child.exitCode === null) service.child.kill('SIGKILL');
    service = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints where each protocol listens and the live page', async () => {
    service = await spawnService({ PARLEY_DATA_DIR: dataDir });
    const output = service.output();
    expect(output).toMatch(/live page\s+http:\/\/127\.0\.0\.1:\d+\//);
    for (const protocol of ['http', 'ftp', 'smtp', 'mqtt']) expect(service.url(protocol)).toMatch(/:\d+/);
    expect(output).toMatch(/broker WebSocket ws:\/\/127\.0\.0\.1:\d+/);
    service.child.kill('SIGINT');
    expect(await service.exited).toBe(0);
  });

  it('on SIGTERM lets a request in flight finish, then exits 0', async () => {
    service = await spawnService({ PARLEY_DATA_DIR: dataDir });
    const started = service;
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slowUpload(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('first half, ');
      await gate;
      yield new TextEncoder().encode('second half');
    }
    await using client = createClient(http(started.url('http')), { timeoutMs: 60_000 });
    const upload = client.put('/notes/in-flight.txt', slowUpload());
    // The upload is in flight once its temporary file exists (waiting up to 20 s on a busy machine).
    // (Beside it, the note's lock, held while it writes.)
    await eventually(
      async () => (await readdir(dataDir)).some((name) => name.startsWith('.upload-')),
      20_000,
    );

    started.child.kill('SIGTERM');
    await started.waitFor(/SIGTERM, closing/);
    release();
    const response = await upload;
    expect(response.status).toBe('created');
    expect(await started.exited).toBe(0);
    expect(started.output()).toMatch(/http PUT \/notes\/in-flight\.txt created/);
    expect(started.output()).toContain('notes: closed');
    expect(await readFile(join(dataDir, 'in-flight.txt'), 'utf8')).toBe('first half, second half');
  });

  it.each([
    ['PARLEY_HTTP_PORT', '70000', 'PARLEY_HTTP_PORT must be between 0 and 65535'],
    ['PARLEY_FTP_PORT', 'ftp', 'PARLEY_FTP_PORT must be a port number'],
    ['PARLEY_MQTT_URL', '::nope', 'PARLEY_MQTT_URL must be a URL'],
  ])('exits 2 with a clear message for %s=%s', async (name, value, message) => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: exampleDir,
      env: { ...process.env, [name]: value },
      timeout: 30_000,
    }).catch((error: { code?: number; stderr?: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain(`notes: ${message}`);
  });
});
