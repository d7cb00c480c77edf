import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Child code: reads `{ module, name, args }` as JSON from stdin, prints the call's result as JSON. */
const CHILD = `
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { module, name, args } = JSON.parse(input);
const result = await (await import(module))[name](...args);
process.stdout.write(JSON.stringify(result));
`;

/**
 * Calls the export `name` of the TypeScript module at `module` (a file URL) with `args` in a
 * child Node process, and resolves with its result. A call still running after `limitMs` is
 * killed and rejects: for a step that must take time in proportion to its input, a hostile input
 * that makes it backtrack over the whole text for each of its characters (hours of work) then
 * fails the test instead of holding the test process.
 */
export function callInChild(module: URL, name: string, args: unknown[], limitMs = 20_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', CHILD],
      { cwd: ROOT, timeout: limitMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null) {
          const why = error.killed ? `was still running after ${limitMs} ms and was killed` : stderr;
          reject(new Error(`${name}(...) ${why}`));
        } else resolve(JSON.parse(stdout));
      },
    );
    child.stdin?.end(JSON.stringify({ module: module.href, name, args }));
  });
}
