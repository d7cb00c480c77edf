import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runtimeGraph } from '../../../test/support/module-graph.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, Record<string, { types: string; default: string }>>;
};

describe('browser entry', () => {
  it('is the `browser` condition of the package, listed before `import` and `require`', () => {
    const conditions = Object.keys(manifest.exports['.'] ?? {});
    expect(conditions[0]).toBe('browser');
    expect(manifest.exports['.']?.browser).toEqual({
      types: './dist/browser.d.ts',
      default: './dist/browser.js',
    });
  });

  it('imports no node: module, no `ws` and uses no Buffer, down its whole module graph', () => {
    const graph = runtimeGraph(`${src}browser.ts`);
    expect([...graph.keys()].some((file) => file.endsWith('client/session.ts'))).toBe(true);
    for (const [file, specifiers] of graph) {
      for (const specifier of specifiers) {
        expect(specifier, file).not.toMatch(/^node:|^ws$/);
        if (!specifier.startsWith('.')) expect(specifier, file).toMatch(/^@parley\/core(\/transport)?$/);
      }
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bBuffer\./);
    }
  });

  it('shares the frame codec with the Node.js entry', () => {
    const browser = runtimeGraph(`${src}browser.ts`);
    const node = runtimeGraph(`${src}index.ts`);
    const codec = `${src}wire/frame.ts`;
    expect(browser.has(codec) && node.has(codec)).toBe(true);
    expect(browser.has(`${src}client/session.ts`) && node.has(`${src}client/session.ts`)).toBe(true);
  });
});
