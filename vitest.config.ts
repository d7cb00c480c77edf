import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Resolves every `@parley/<name>` import to its TypeScript source, so tests need no build. */
const sourceAliases = readdirSync(`${root}packages`).flatMap((name) => [
  { find: `@parley/${name}/conformance`, replacement: `${root}packages/${name}/src/conformance/index.ts` },
  { find: `@parley/${name}/transport`, replacement: `${root}packages/${name}/src/transport-kit.ts` },
  { find: new RegExp(`^@parley/${name}$`), replacement: `${root}packages/${name}/src/index.ts` },
]);

export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
