/**
 * Prints the browser bundle sizes of Parley's clients: each page bundled with esbuild
 * (`--bundle --platform=browser --minify`, the `browser` entries of `@parley/*`), then gzipped.
 *
 * Run: `node --import tsx scripts/bundle-sizes.ts`
 */
import { fileURLToPath } from 'node:url';
import { type BundleSize, bundleSize } from '../test/support/browser-bundle.js';

/** The budget of the core + HTTP and core + WebSocket client bundles, gzipped: 20 KiB. */
export const CLIENT_BUDGET_BYTES = 20 * 1024;

/** The bundles measured: a name and the page source that uses them. */
export const BUNDLES: Readonly<Record<string, string>> = {
  'core + http': `import { createClient } from '@parley/core'; import { http } from '@parley/http';
    export const client = createClient(http(location.origin));`,
  'core + ws': `import { createClient } from '@parley/core'; import { ws } from '@parley/ws';
    export const client = createClient(ws('wss://' + location.host + '/parley'));`,
  'core + mqtt': `import { createClient } from '@parley/core'; import { mqtt } from '@parley/mqtt';
    export const client = createClient(mqtt('wss://' + location.host + '/notes'));`,
};

/** Measures every bundle of {@link BUNDLES}. */
export async function measureBundles(): Promise<Record<string, BundleSize>> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const sizes: Record<string, BundleSize> = {};
  for (const [name, source] of Object.entries(BUNDLES)) sizes[name] = await bundleSize(source, here);
  return sizes;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await measureBundles();
  console.log('bundle            minified    gzipped');
  for (const [name, size] of Object.entries(sizes)) {
    console.log(`${name.padEnd(16)} ${kib(size.minified).padStart(10)} ${kib(size.gzipped).padStart(10)}`);
  }
}
