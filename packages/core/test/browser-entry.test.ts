import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as node from '@parley/core';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../test/support/browser-bundle.js';
import { nodeOnlyUses, runtimeGraph } from '../../../test/support/module-graph.js';
import * as browser from '../src/browser.js';
import { utf8Length } from '../src/platform.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, Record<string, unknown>>;
};

describe('the browser entry of @parley/core', () => {
  it('is the `browser` condition of the package, listed before `import` and `require`', () => {
    expect(Object.keys(manifest.exports['.'] ?? {})[0]).toBe('browser');
    expect(manifest.exports['.']?.browser).toEqual({
      types: './dist/browser.d.ts',
      default: './dist/browser.js',
    });
  });

  it('imports no node: module and uses no Buffer, down its whole module graph', () => {
    const graph = runtimeGraph(`${src}browser.ts`);
    for (const part of ['client.ts', 'body.ts', 'memory.ts', 'router.ts', 'request.ts', 'response.ts'])
      expect([...graph.keys()], part).toContain(`${src}${part}`);
    expect(nodeOnlyUses(graph)).toEqual([]);
    expect(graph.has(`${src}password-table.ts`)).toBe(false);
    expect(graph.has(`${src}node-platform.ts`)).toBe(false);
  });

  it('exports the Node.js entry API but passwordTable, the file locks and openRegularFile, as the same objects', () => {
    const missing = Object.keys(node).filter((name) => !(name in browser));
    expect(missing.sort()).toEqual(
      [
        'FileLock',
        'LOCK_PREFIX',
        'isProcessAlive',
        'lockFileName',
        'openRegularFile',
        'ownedTempName',
        'passwordTable',
        'removeLeftovers',
      ].sort(),
    );
    for (const [name, value] of Object.entries(browser))
      expect(value, name).toBe((node as Record<string, unknown>)[name]);
  });

  it('bundles with esbuild for the browser platform', async () => {
    const code = await bundleForBrowser(
      "export { createClient, createServer, memory, Body, HeaderMap, ParleyError } from '@parley/core';",
    );
    expect(code).toContain('createClient');
    expect(code).not.toMatch(/node:/);
  });

  it('counts UTF-8 bytes as Buffer does, lone surrogates included', () => {
    for (const text of ['', 'ascii', 'é', '€uro', '😀 smile', '\uD800 lone', 'x\uDC00', '\uD83D\uDE00\uD800'])
      expect(utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});
