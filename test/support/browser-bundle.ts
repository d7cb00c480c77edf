import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { browserEntry } from './module-graph.js';

/** Resolves `@parley/<name>` to that package's browser entry in src/, as a bundler would in dist/. */
export const parleyBrowserSources: Plugin = {
  name: 'parley-browser-sources',
  setup(builder) {
    builder.onResolve({ filter: /^@parley\// }, (args) => {
      const path = browserEntry(args.path);
      return path === undefined ? undefined : { path };
    });
  },
};

/** Options of {@link bundleForBrowser}. */
export interface BrowserBundleOptions {
  /** Minify. Default: true. */
  readonly minify?: boolean;
  /** The directory relative imports of `contents` resolve from. Default: the current one. */
  readonly resolveDir?: string | undefined;
}

/**
 * Bundles an ES module (given as source text) for browsers, as `esbuild --bundle
 * --platform=browser` does, with `@parley/*` taken from their browser entries. Fails on
 * anything a browser build cannot resolve (a `node:` import, for one).
 */
export async function bundleForBrowser(
  contents: string,
  options: BrowserBundleOptions = {},
): Promise<string> {
  const result = await build({
    stdin: { contents, loader: 'ts', resolveDir: options.resolveDir ?? process.cwd() },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: options.minify ?? true,
    write: false,
    logLevel: 'silent',
    plugins: [parleyBrowserSources],
  });
  return result.outputFiles[0]?.text ?? '';
}

/** A bundle's size in bytes, minified and gzipped. */
export interface BundleSize {
  /** Minified. */
  readonly minified: number;
  /** Minified, then gzipped. */
  readonly gzipped: number;
}

/** Bundles `contents` minified and measures it. */
export async function bundleSize(contents: string, resolveDir?: string): Promise<BundleSize> {
  const code = await bundleForBrowser(contents, { minify: true, resolveDir });
  const bytes = Buffer.from(code);
  return { minified: bytes.byteLength, gzipped: gzipSync(bytes, { level: 9 }).byteLength };
}
