import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { type BenchResult, RESULTS_ENV } from './results.js';
import { REPO_ROOT } from './scripts.js';

/** Options of {@link runScript}. */
export interface RunScriptOptions {
  /** The JSON-lines file the benchmark records its results in. */
  readonly resultsFile: string;
  /** Runs it in smoke mode. Default: false. */
  readonly smoke?: boolean;
  /** Keeps its output (returned) instead of passing it through. Default: false. */
  readonly capture?: boolean;
  /** Kills it (its whole process group) after this long, in ms. Default: no limit. */
  readonly timeoutMs?: number;
}

/** How a benchmark script ran. */
export interface ScriptOutcome {
  /** Exit code; non-zero also when it was killed at the timeout. */
  readonly code: number;
  /** Wall time, in seconds. */
  readonly seconds: number;
  /** Its output, when captured. */
  readonly output: string;
  /** The results it recorded. */
  readonly results: BenchResult[];
}

/** Runs `pnpm run <script>` at the repository root and reads the results it recorded. */
export function runScript(script: string, options: RunScriptOptions): Promise<ScriptOutcome> {
  const args = ['run', '--silent', script, ...(options.smoke === true ? ['--smoke'] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, [RESULTS_ENV]: options.resultsFile };
  if (options.smoke === true) env.BENCH_SMOKE = '1';
  const started = performance.now();
  const child = spawn('pnpm', args, {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: options.capture === true ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          output += `\n(killed after ${options.timeoutMs} ms)\n`;
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        }, options.timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 1,
        seconds: (performance.now() - started) / 1000,
        output,
        results: readResults(options.resultsFile),
      });
    });
  });
}

/** The results in a JSON-lines file (none when it does not exist). */
export function readResults(file: string): BenchResult[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BenchResult);
}
