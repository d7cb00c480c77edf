/**
 * `pnpm bench`: runs every `bench:*` script of the root package.json in turn (each prints its
 * own figures as it goes), then writes docs/benchmarks.md and docs/benchmarks.svg from the
 * results they recorded: the machine, every figure against its target, and a chart.
 *
 * `pnpm bench --smoke` runs each benchmark in smoke mode and writes the report to a temporary
 * directory instead (it never overwrites docs/). `BENCH_ONLY=http,ftp` runs only those.
 * `BENCH_REPORT_DIR` writes the report elsewhere.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './lib/machine.js';
import { runScript } from './lib/run-script.js';
import { benchScripts, REPO_ROOT } from './lib/scripts.js';
import { SMOKE } from './lib/smoke.js';
import type { GroupedResult } from './report/chart.js';
import { type ScriptRun, writeReport } from './report/write.js';

const only = process.env.BENCH_ONLY?.split(',').map((name) => `bench:${name.trim()}`);
const scripts = benchScripts().filter((script) => only === undefined || only.includes(script));
const work = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const machine = describeMachine();
const date = new Date();
const runs: ScriptRun[] = [];
const results: GroupedResult[] = [];

for (const script of scripts) {
  console.log(`\n=== pnpm ${script}${SMOKE ? ' --smoke' : ''} ===\n`);
  const outcome = await runScript(script, { resultsFile: join(work, `${script}.jsonl`), smoke: SMOKE });
  runs.push({ script, code: outcome.code, seconds: outcome.seconds });
  const group = script.slice('bench:'.length);
  results.push(...outcome.results.map((result) => ({ ...result, group })));
}

const dir = process.env.BENCH_REPORT_DIR ?? (SMOKE ? join(work, 'report') : join(REPO_ROOT, 'docs'));
mkdirSync(dir, { recursive: true });
const written = writeReport(dir, { machine, date, runs, results, chart: 'benchmarks.svg' });
console.log(`\nWrote ${written.join(' and ')}`);
const failed = runs.filter((run) => run.code !== 0);
if (failed.length > 0) {
  console.log(`Failed: ${failed.map((run) => run.script).join(', ')}`);
  process.exitCode = 1;
}
if (!SMOKE) rmSync(work, { recursive: true, force: true });
