import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

/** Options of {@link runtimeGraph}. */
export interface RuntimeGraphOptions {
  /** Follow `@parley/<name>` imports into that package's browser entry (`src/browser.ts`). Default: false. */
  readonly workspace?: boolean;
}

/**
 * Every module a file imports at run time (`import type` is erased), followed through relative
 * imports (and workspace packages when asked): file -> the specifiers it imports.
 */
export function runtimeGraph(entry: string, options: RuntimeGraphOptions = {}): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gms),
    ].map((match) => (match[1] ?? match[2]) as string);
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (options.workspace === true) {
        const entry = browserEntry(specifier);
        if (entry !== undefined) visit(entry);
      }
    }
  };
  visit(entry);
  return graph;
}

/** The source file a browser bundler reaches for `@parley/<name>` (or `@parley/core/transport`). */
export function browserEntry(specifier: string): string | undefined {
  const match = /^@parley\/([a-z]+)(\/transport)?$/.exec(specifier);
  if (match === null) return undefined;
  const src = `${packages}${match[1]}/src/`;
  if (match[2] !== undefined) return `${src}transport-kit.ts`;
  return existsSync(`${src}browser.ts`) ? `${src}browser.ts` : `${src}index.ts`;
}

/**
 * What in a module graph would not run in a browser: `node:` imports, packages other than
 * `allowed` (and `@parley/*`), and uses of `Buffer`. Empty when the graph is browser-safe.
 */
export function nodeOnlyUses(graph: Map<string, string[]>, allowed: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const [file, specifiers] of graph) {
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) continue;
      if (specifier.startsWith('node:')) problems.push(`${file} imports ${specifier}`);
      else if (!specifier.startsWith('@parley/') && !allowed.includes(specifier))
        problems.push(`${file} imports ${specifier}`);
    }
    if (/\bBuffer\./.test(readFileSync(file, 'utf8'))) problems.push(`${file} uses Buffer`);
  }
  return problems;
}
