import { defineConfig, type Options } from 'tsup';

/** The build every package shares: ESM + CJS + declarations for Node 20, one entry per export. */
export function packageBuild(entry: Record<string, string>, options: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    // One shared chunk per module in the CJS build as in the ESM one: a single ParleyError class.
    splitting: true,
    target: 'node20',
    ...options,
  });
}
