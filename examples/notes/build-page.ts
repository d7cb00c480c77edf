/**
 * Bundles the live page's script (page/app.ts, on Parley's browser clients) with esbuild into
 * dist/page/app.js, which the service serves as `/app.js`. Run by `pnpm build`, `pnpm start`,
 * `pnpm demo` and the tests; nothing is fetched from the network.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '../../test/support/browser-bundle.js';
import { PAGE_SCRIPT_FILE } from './src/page-script.js';

/** Bundles page/app.ts (each `@parley/*` from its browser entry) and writes it; returns the file. */
export async function buildPage(file: string = PAGE_SCRIPT_FILE): Promise<string> {
  const code = await bundleForBrowser("import './page/app.ts';", {
    resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    minify: false,
  });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, code);
  return file;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = await buildPage();
  console.log(`notes: built the live page's script, ${file}`);
}
