import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('@parley/core bundled for Node.js', () => {
  it('keeps the Node.js platform (Readable bodies) when a bundler drops side-effect-free modules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-node-bundle-'));
    try {
      const outfile = join(dir, 'out.mjs');
      await build({
        stdin: {
          contents:
            "import { Body } from '@parley/core';\n" +
            "const stream = Body.from('hello').stream();\n" +
            "let text = ''; for await (const chunk of stream) text += chunk;\n" +
            'console.log(typeof stream.pipe, text);\n',
          resolveDir: root,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile,
        tsconfig: join(root, 'tsconfig.json'),
        logLevel: 'error',
      });
      expect(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }).trim()).toBe('function hello');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
