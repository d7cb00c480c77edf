import { appendFileSync } from 'node:fs';

/**
 * One figure of a benchmark, machine-readable: what `pnpm bench` gathers into
 * docs/benchmarks.md. A ratio compares Parley with a peer measured in the same run (unit `x`);
 * a limit is an absolute figure against a bound (unit such as `MB`).
 */
export interface BenchResult {
  /** What was measured, e.g. `server req/s` or `peak RSS, 100 clients`. */
  readonly measure: string;
  /** The figure: Parley/peer for a ratio, else the value in `unit`. */
  readonly ratio: number;
  /** The bound the figure should reach, or null when there is none (reported only). */
  readonly target: number | null;
  /** Whether a figure above the target meets it (else a figure below it does). */
  readonly higherIsBetter: boolean;
  /** `x` for a ratio, else the unit of an absolute figure. */
  readonly unit: string;
  /** What Parley was compared with (empty for an absolute figure). */
  readonly peer: string;
  /** The figures behind the ratio (medians, CPU per operation), for a reader. */
  readonly detail: string;
}

/** The environment variable naming the JSON-lines file results are appended to. */
export const RESULTS_ENV = 'BENCH_RESULTS';

/** Appends `result` as one JSON line to the file named by `BENCH_RESULTS`, when it is set. */
export function recordResult(result: BenchResult): void {
  const file = process.env[RESULTS_ENV];
  if (file === undefined || file === '') return;
  appendFileSync(file, `${JSON.stringify(result)}\n`);
}

/** Whether a result meets its target (undefined when it has none). */
export function meetsTarget(result: BenchResult): boolean | undefined {
  if (result.target === null) return undefined;
  return result.higherIsBetter ? result.ratio >= result.target : result.ratio <= result.target;
}
