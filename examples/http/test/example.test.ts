import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));

it('runs the HTTP example end to end: store, read, list, delete, a missing note', async () => {
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      'node',
      ['--import', 'tsx', 'run.ts'],
      { cwd: dir, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), output: `${stdout}${stderr}` });
      },
    );
  });
  expect(code, output).toBe(0);
  expect(output).toMatch(/stored: 'created'/);
  expect(output).toMatch(/text: 'Hello over HTTP'/);
  expect(output).toMatch(/listing: \[ 'hello\.txt \(15 bytes\)' \]/);
  expect(output).toMatch(/removed: 'no_content'/);
  expect(output).toMatch(/missing: 'not_found'/);
  expect(output).toMatch(/http PUT \/notes\/hello\.txt created [\d.]+ms/);
  expect(output).toMatch(/http GET \/notes\/hello\.txt not_found/);
});
