import { execFile, execFileSync } from 'node:child_process';

/** Whether curl runs here; under `CI=true` a missing curl is a failure, not a skip. */
export function requireCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true') throw new Error('curl is required for the HTTP interop tests in CI');
    return false;
  }
}

/** What one curl run saw: the last HTTP status code, the body it printed, and its stderr. */
export interface CurlResult {
  readonly code: number;
  readonly body: string;
  readonly stderr: string;
}

/** Runs curl; resolves with the status code it saw, the body it printed and its stderr (`-v` output). */
export function curlFull(args: readonly string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'curl',
      ['-sS', '-w', '\n%{http_code}', ...args],
      { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`curl ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        const split = stdout.lastIndexOf('\n');
        resolve({ code: Number(stdout.slice(split + 1)), body: stdout.slice(0, split), stderr });
      },
    );
  });
}

/** Runs curl; resolves with the HTTP status code it saw and the body it printed. */
export async function curl(args: readonly string[]): Promise<{ code: number; body: string }> {
  const { code, body } = await curlFull(args);
  return { code, body };
}
