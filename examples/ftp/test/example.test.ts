import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));

it('runs the FTP example: store, list, read, head, a missing file, delete', async () => {
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
  expect(output).toMatch(/listing: \[ 'hello\.txt \(14 bytes\)' \]/);
  expect(output).toMatch(/text: 'Hello over FTP'/);
  expect(output).toMatch(/size: '14'/);
  expect(output).toMatch(/missing: 'not_found'/);
  expect(output).toMatch(/removed: 'ok'/);
  expect(output).toMatch(/ftp PUT \/files\/hello\.txt created .* user=alice/);
});
