import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '../../test/support/browser-bundle.js';

/**
 * Bundles page.ts for browsers with esbuild (`--bundle --platform=browser`), taking each
 * `@parley/*` package's browser entry, as any bundler does through the `browser` condition.
 */
export function bundlePage(): Promise<string> {
  return bundleForBrowser("import './page.js';", {
    resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    minify: false,
  });
}
