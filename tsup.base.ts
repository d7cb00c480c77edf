import { defineConfig, type Options } from 'tsup';

/** The build every package shares: ESM + CJS + declarations for Node 20, one entry per export. */
export function packageBuild(entry: Record<string, string>, options: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...options,
  });
}
