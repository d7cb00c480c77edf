import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SilentServer, startSilentServer } from '../../../test/support/raw-server.js';
import { runCli } from '../src/run.js';

let server: SilentServer;
beforeAll(async () => {
  server = await startSilentServer();
});
afterAll(() => server.close());

/** Runs the command in this process; resolves with its exit code and what it wrote to stderr. */
async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.resume();
  stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const code = await runCli(argv, { stdout, stderr, stdin: new PassThrough() });
  return { code, stderr: text };
}

describe('-m, the short form of --max-time (as curl -m)', () => {
  it('bounds a request to a server that never answers: exit 28', async () => {
    const result = await run(['-m', '1', `http://127.0.0.1:${server.port}/a.txt`]);
    expect(result.code).toBe(28);
    expect(result.stderr).toBe('parley: Timed out after 1000 ms\n');
  });
});
