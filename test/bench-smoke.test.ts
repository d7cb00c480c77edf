import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeMachine } from '../bench/lib/machine.js';
import type { BenchResult } from '../bench/lib/results.js';
import { runScript } from '../bench/lib/run-script.js';
import { benchScripts } from '../bench/lib/scripts.js';
import type { GroupedResult } from '../bench/report/chart.js';
import { writeReport } from '../bench/report/write.js';

/** Per benchmark: generous, for a loaded machine (each takes 5-25 s when the machine is idle). */
const TIMEOUT_MS = 180_000;
const work = mkdtempSync(join(tmpdir(), 'parley-bench-smoke-'));
const gathered: GroupedResult[] = [];

afterAll(() => rmSync(work, { recursive: true, force: true }));

// Every `bench:*` script of the root package.json runs once in smoke mode, so none can rot
// unnoticed; a benchmark added as a script is covered without touching this file.
describe.sequential('benchmarks in smoke mode', () => {
  const scripts = benchScripts();

  it('are found in the root package.json', () => {
    expect(scripts).toEqual(expect.arrayContaining(['bench:http', 'bench:ftp', 'bench:smtp', 'bench:mqtt']));
  });

  for (const script of scripts) {
    it(
      `pnpm ${script} --smoke completes and records its figures`,
      async () => {
        const resultsFile = join(work, `${script}.jsonl`);
        const outcome = await runScript(script, {
          resultsFile,
          smoke: true,
          capture: true,
          timeoutMs: TIMEOUT_MS,
        });
        expect(outcome.code, outcome.output).toBe(0);
        expect(outcome.results.length, `${script} recorded no result\n${outcome.output}`).toBeGreaterThan(0);
        for (const result of outcome.results) expectWellFormed(result);
        gathered.push(...outcome.results.map((result) => ({ ...result, group: script.slice(6) })));
      },
      TIMEOUT_MS + 10_000,
    );
  }

  it('their figures render as a report with one table row and one bar per figure', () => {
    const dir = join(work, 'report');
    const runs = [{ script: 'bench:x', code: 0, seconds: 1, began: new Date().toISOString(), load: 1 }];
    const report = {
      machine: describeMachine(),
      date: new Date(),
      runs,
      results: gathered,
      chart: 'benchmarks.svg',
    };
    mkdirSync(dir, { recursive: true });
    const [markdown, chart] = writeReport(dir, report) as [string, string];
    const text = readFileSync(markdown, 'utf8');
    const svg = readFileSync(chart, 'utf8');
    expect(text).toContain('![Parley against its targets](benchmarks.svg)');
    expect(gathered.length).toBeGreaterThan(0);
    for (const result of gathered) expect(text).toContain(`| ${result.group} | ${result.measure} |`);
    expect(svg.startsWith('<svg')).toBe(true);
    // One bar per figure plus the background and the three legend swatches.
    expect(svg.match(/<rect /g)?.length).toBe(gathered.length + 4);
  });
});

function expectWellFormed(result: BenchResult): void {
  expect(typeof result.measure).toBe('string');
  expect(Number.isFinite(result.ratio), `${result.measure}: ${result.ratio}`).toBe(true);
  expect(result.target === null || Number.isFinite(result.target)).toBe(true);
  expect(typeof result.higherIsBetter).toBe('boolean');
  expect(result.unit).not.toBe('');
  expect(typeof result.peer).toBe('string');
  expect(typeof result.detail).toBe('string');
}
