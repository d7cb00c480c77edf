/**
 * `pnpm bench`: runs every `bench:*` script of the root package.json in turn (each prints its
 * own figures as it goes), then writes docs/benchmarks.md and docs/benchmarks.svg from the
 * results they recorded: the machine, every figure against its target, and a chart.
 *
 * `pnpm bench --smoke` runs each benchmark in smoke mode and writes the report to a temporary
 * directory instead (it never overwrites docs/). `BENCH_ONLY=http,ftp` runs only those and
 * keeps the other benchmarks' figures from the last report (`benchmarks.json` beside it; the
 * Runs table says when each ran). `pnpm bench --report-only` runs nothing and writes the report
 * again from those figures (after editing `report/explanations.md`). `BENCH_REPORT_DIR` writes
 * the report elsewhere.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine } from './lib/machine.js';
import { runScript } from './lib/run-script.js';
import { benchScripts, REPO_ROOT } from './lib/scripts.js';
import { SMOKE } from './lib/smoke.js';
import type { GroupedResult } from './report/chart.js';
import { readExplanations } from './report/explanations.js';
import { readPreviousReport, type ScriptRun, writeReport } from './report/write.js';

/** `--report-only`: runs nothing, and writes the report again from the last figures (after editing explanations). */
const reportOnly = process.argv.includes('--report-only');
const only = reportOnly ? [] : process.env.BENCH_ONLY?.split(',').map((name) => `bench:${name.trim()}`);
const scripts = benchScripts().filter((script) => only === undefined || only.includes(script));
const work = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const machine = describeMachine();
const date = new Date();
const runs: ScriptRun[] = [];
const results: GroupedResult[] = [];

for (const script of scripts) {
  console.log(`\n=== pnpm ${script}${SMOKE ? ' --smoke' : ''} ===\n`);
  const began = new Date().toISOString();
  const load = loadavg()[0] ?? 0;
  const outcome = await runScript(script, { resultsFile: join(work, `${script}.jsonl`), smoke: SMOKE });
  runs.push({ script, code: outcome.code, seconds: outcome.seconds, began, load });
  const group = script.slice('bench:'.length);
  results.push(...outcome.results.map((result) => ({ ...result, group })));
}

const dir = process.env.BENCH_REPORT_DIR ?? (SMOKE ? join(work, 'report') : join(REPO_ROOT, 'docs'));
mkdirSync(dir, { recursive: true });
if (only !== undefined) {
  // Keep what the last report says of the benchmarks not run this time, in their order.
  const previous = readPreviousReport(dir);
  const kept = (script: string): boolean => !scripts.includes(script);
  runs.unshift(...(previous?.runs.filter((run) => kept(run.script)) ?? []));
  results.unshift(...(previous?.results.filter((result) => kept(`bench:${result.group}`)) ?? []));
  const order = benchScripts();
  runs.sort((a, b) => order.indexOf(a.script) - order.indexOf(b.script));
  results.sort((a, b) => order.indexOf(`bench:${a.group}`) - order.indexOf(`bench:${b.group}`));
}
const explanations = readExplanations();
// A report written again says when its figures were measured, and the load then, not now.
const first = reportOnly ? runs[0] : undefined;
const written = writeReport(dir, {
  machine: first === undefined ? machine : { ...machine, load: [first.load] },
  date: first === undefined ? date : new Date(first.began),
  runs,
  results,
  chart: 'benchmarks.svg',
  explanations,
});
console.log(`\nWrote ${written.join(' and ')}`);
const failed = runs.filter((run) => run.code !== 0);
if (failed.length > 0) {
  console.log(`Failed: ${failed.map((run) => run.script).join(', ')}`);
  process.exitCode = 1;
}
if (!SMOKE) rmSync(work, { recursive: true, force: true });
