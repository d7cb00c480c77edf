/**
 * Smoke mode of every benchmark: `--smoke` on the command line (`pnpm bench:http --smoke`) or
 * `BENCH_SMOKE=1`. Tiny sizes and one short round through the same code path, still printing
 * (and recording) its ratios: it proves the benchmark runs, not how fast Parley is.
 */
export const SMOKE = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';

/** `full` normally, `small` in smoke mode. */
export function sized<T>(full: T, small: T): T {
  return SMOKE ? small : full;
}

/** A number from the environment variable `name` if set, else {@link sized}(full, small). */
export function setting(name: string, full: number, small: number): number {
  const value = process.env[name];
  return value === undefined || value === '' ? sized(full, small) : Number(value);
}
