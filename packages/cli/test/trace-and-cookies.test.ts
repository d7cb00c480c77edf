import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './run-in-process.js';
import { plainHttpServer } from './support.js';

let base: string;
let stop: () => void;

beforeAll(async () => {
  ({ base, stop } = await plainHttpServer((_, res) => {
    res.setHeader('set-cookie', ['a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT', 'b=2']);
    res.end('hello\n');
  }));
});
afterAll(() => {
  stop();
});

describe('parley output as curl writes it', () => {
  it('--trace - writes the dialogue with payload bytes to stdout, not stderr', async () => {
    const { code, stdout, stderr } = await runInProcess(['--trace', '-', `${base}/a.txt`]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/GET \/a\.txt/);
    expect(stdout).toMatch(/68 65 6c 6c 6f 0a/);
    expect(stdout).toMatch(/hello\n/);
    expect(stderr).not.toMatch(/GET \/a\.txt/);
  });

  it('--trace FILE creates the file readable and writable by its owner only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-trace-mode-'));
    try {
      const file = join(dir, 'trace.txt');
      const { code } = await runInProcess(['-s', '-u', 'alice:secret', '--trace', file, `${base}/a.txt`]);
      expect(code).toBe(0);
      expect(readFileSync(file, 'utf8')).toMatch(/68 65 6c 6c 6f 0a/);
      expect(readFileSync(file, 'utf8')).not.toContain(Buffer.from('alice:secret').toString('base64'));
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-i shows each set-cookie field on its own line', async () => {
    const { code, stdout } = await runInProcess(['-i', `${base}/a.txt`]);
    expect(code).toBe(0);
    expect(stdout).toContain('set-cookie: a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT\nset-cookie: b=2\n');
  });
});
