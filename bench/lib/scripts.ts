import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The benchmark scripts: every `bench:<name>` script of the root package.json, in its order.
 * `pnpm bench` and the smoke test both find benchmarks here, so a new one is covered by adding
 * its script.
 */
export function benchScripts(): string[] {
  const manifest = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return Object.keys(manifest.scripts ?? {}).filter((name) => name.startsWith('bench:'));
}
