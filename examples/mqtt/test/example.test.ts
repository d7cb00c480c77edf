import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('..', import.meta.url));

it('runs the MQTT example end to end and exits 0', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'run.ts'], {
    cwd: dir,
    timeout: 30_000,
  });
  expect(stdout).toContain('GET /notes/hello.txt -> ok: Hello over MQTT!');
  expect(stdout).toContain('PUT /notes/mqtt.txt -> created');
  expect(stdout).toContain('LIST /notes/ -> hello.txt (16 bytes), mqtt.txt (50 bytes)');
  expect(stdout).toContain('GET /notes/nope.txt -> not_found');
  expect(stdout).toMatch(/mqtt GET \/notes\/hello\.txt ok/);
  expect(stdout).toContain('done');
});
