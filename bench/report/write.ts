import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GroupedResult, renderChart } from './chart.js';
import { type Report, renderMarkdown, type ScriptRun } from './markdown.js';

export type { ScriptRun } from './markdown.js';

/** What a report keeps for the next partial run (`benchmarks.json`). */
export interface SavedReport {
  readonly runs: readonly ScriptRun[];
  readonly results: readonly GroupedResult[];
}

/** Writes `benchmarks.md`, its chart and `benchmarks.json` into `dir`; returns the paths written. */
export function writeReport(dir: string, report: Report): string[] {
  const markdown = join(dir, 'benchmarks.md');
  const chart = join(dir, report.chart);
  const data = join(dir, 'benchmarks.json');
  const title = `Parley against its targets (${report.machine.cores} cores, Node ${report.machine.node}, ${report.date.toISOString().slice(0, 10)})`;
  writeFileSync(chart, renderChart(report.results, title));
  writeFileSync(markdown, renderMarkdown(report));
  const saved: SavedReport = { runs: report.runs, results: report.results };
  writeFileSync(data, `${JSON.stringify(saved, null, 2)}\n`);
  return [markdown, chart, data];
}

/** The runs and results of the report last written into `dir`, if there is one. */
export function readPreviousReport(dir: string): SavedReport | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'benchmarks.json'), 'utf8')) as SavedReport;
  } catch {
    return undefined;
  }
}
