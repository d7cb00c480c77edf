import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const TSCONFIG = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/** Options of {@link bundle}. */
export interface BundleOptions {
  /** Packages left as imports instead of bundled (loaded from `bench/node_modules` at run time). Default: none. */
  readonly external?: readonly string[];
}

/**
 * Bundles one benchmark script and the Parley sources it imports into one plain ESM file, so a
 * child process runs it on plain `node`: a TypeScript loader's own memory and start-up would
 * blur the measurements. Uses esbuild, a devDependency of the benchmarks.
 */
export async function bundle(entry: string, outfile: string, options: BundleOptions = {}): Promise<string> {
  const external = options.external ?? [];
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: TSCONFIG,
    external: [...external],
    logLevel: 'error',
    // Bundled CommonJS dependencies may call require(); give them one in the ESM output.
    banner: {
      js: "import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
    },
  });
  return outfile;
}
