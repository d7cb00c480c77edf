import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));

it('runs the SMTP example: the note is acknowledged with 250 and lands in the inbox', async () => {
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
  expect(output).toMatch(/status: 'ok'/);
  expect(output).toMatch(/reply: '250 2\.0\.0 OK <.+>'/);
  expect(output).toMatch(/smtp POST \/notes\/hello\.txt ok/);
  expect(output).toMatch(/text: 'Hello over SMTP'/);
});
