import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** Where `build-page.ts` writes the live page's script (git-ignored). */
export const PAGE_SCRIPT_FILE = fileURLToPath(new URL('../dist/page/app.js', import.meta.url));

/**
 * The live page's script as `build-page.ts` last bundled it, read on each request so a rebuild
 * needs no restart; `undefined` when it was never built.
 */
export async function readPageScript(file: string = PAGE_SCRIPT_FILE): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
