import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, buildParley, ROOT } from './support.js';

beforeAll(buildParley, BUILD_TIMEOUT_MS);

describe('the built @parley/cli package', () => {
  it('runs from its CommonJS build too (no import.meta left in it)', async () => {
    const cli = createRequire(import.meta.url)(
      `${ROOT}packages/cli/dist/index.cjs`,
    ) as typeof import('@parley/cli');
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk));
    expect(await cli.runCli(['--version'], { stdout, stderr: new PassThrough() })).toBe(0);
    expect(text).toMatch(/^parley \d+\.\d+\.\d+\n$/);
  });
});
