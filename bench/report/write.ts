import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './chart.js';
import { type Report, renderMarkdown } from './markdown.js';

export type { ScriptRun } from './markdown.js';

/** Writes `benchmarks.md` and its chart into `dir`; returns the paths written. */
export function writeReport(dir: string, report: Report): string[] {
  const markdown = join(dir, 'benchmarks.md');
  const chart = join(dir, report.chart);
  const title = `Parley against its targets (${report.machine.cores} cores, Node ${report.machine.node}, ${report.date.toISOString().slice(0, 10)})`;
  writeFileSync(chart, renderChart(report.results, title));
  writeFileSync(markdown, renderMarkdown(report));
  return [markdown, chart];
}
