import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What an example printed and how it exited. */
export interface ExampleRun {
  /** The exit code (non-zero also when it was killed at the timeout). */
  readonly code: number;
  /** Its standard output and error, one after the other. */
  readonly output: string;
}

/**
 * Runs an example's `run.ts` with Node and tsx, as `pnpm --filter <example> example` does.
 * `testFileUrl` is the calling test's `import.meta.url`; the example is its parent folder.
 */
export function runExample(testFileUrl: string, timeoutMs = 30_000): Promise<ExampleRun> {
  const cwd = fileURLToPath(new URL('..', testFileUrl));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'run.ts'],
      { cwd, timeout: timeoutMs },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), output: `${stdout}${stderr}` });
      },
    );
  });
}
