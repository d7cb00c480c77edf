import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Instructions } from './callgrind-self.js';
import { jitNames } from './jit-names.js';

/** A node script running under `valgrind --tool=callgrind`, instrumentation off at start. */
export interface CallgrindRun {
  readonly child: ChildProcess;
  /** Callgrind's output file, read with `readCallgrind` once the child has exited. */
  readonly out: string;
  /** The run's own folder: the child's working folder, where V8 writes its log files. */
  readonly dir: string;
}

/**
 * Starts `node --single-threaded --perf-basic-prof` with a fixed 16 MiB young generation on
 * `script` under callgrind, in a fresh folder named after `name`; stdout and stderr are piped.
 */
export function startCallgrind(name: string, script: string, args: readonly string[]): CallgrindRun {
  const dir = mkdtempSync(join(tmpdir(), `parley-${name}-callgrind-`));
  const out = join(dir, 'callgrind.out');
  const flags = [
    '--single-threaded',
    '--perf-basic-prof',
    '--min-semi-space-size=16',
    '--max-semi-space-size=16',
  ];
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${out}`,
      process.execPath,
      ...flags,
      script,
      ...args,
    ],
    // V8's log files go to the working folder, removed afterwards.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir },
  );
  return { child, out, dir };
}

/** Switches callgrind's instrumentation of the run on or off. */
export function instrument(run: CallgrindRun, on: boolean): void {
  execFileSync('callgrind_control', ['-i', on ? 'on' : 'off', String(run.child.pid)], { stdio: 'ignore' });
}

/**
 * With PROFILE_TOP=N, prints the N functions with the most self instructions, each as `per`
 * formats it (JIT code named from V8's perf map).
 */
export function printTopFunctions(run: CallgrindRun, counts: Instructions, per: (n: number) => string): void {
  const top = Number(process.env.PROFILE_TOP ?? 0);
  if (!(top > 0)) return;
  const names = jitNames(perfMap(run));
  const named = new Map<string, number>();
  for (const [name, n] of counts.byFunction) {
    const key = names(name);
    named.set(key, (named.get(key) ?? 0) + n);
  }
  for (const [name, n] of [...named].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${per(n).padStart(8)}  ${name}`);
}

/** Kills the run if it still runs and removes its folder and V8's perf map. */
export function endCallgrind(run: CallgrindRun): void {
  if (run.child.exitCode === null) run.child.kill('SIGKILL');
  rmSync(run.dir, { recursive: true, force: true });
  rmSync(perfMap(run), { force: true });
}

/** The perf map V8 writes for the run's node process (valgrind keeps its pid). */
function perfMap(run: CallgrindRun): string {
  return join('/tmp', `perf-${run.child.pid}.map`);
}
