import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The packages whose builds `dist/bin.cjs` loads. */
const PACKAGES = ['core', 'http', 'ftp', 'smtp', 'mqtt', 'ws', 'cli'];

function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) time = Math.max(time, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return time;
}

/** Whether every package's `dist` is newer than its sources. */
function upToDate(root: string): boolean {
  return PACKAGES.every((name) => {
    const entry = join(root, 'packages', name, 'dist', name === 'cli' ? 'bin.cjs' : 'index.js');
    return existsSync(entry) && statSync(entry).mtimeMs >= newest(join(root, 'packages', name, 'src'));
  });
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds the `parley` command and the packages it loads when their `dist` is missing or older
 * than their sources (CI builds before testing, so there it is a check). Test files running at
 * once build it one at a time: the first takes a lock file, the others wait for it.
 */
export function ensureBuilt(root: string, timeoutMs = 900_000): void {
  const lock = join(root, 'packages', 'cli', 'node_modules', '.parley-build-lock');
  const until = Date.now() + timeoutMs;
  while (!upToDate(root)) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      // Another test file builds; a lock older than the timeout is a leftover.
      const taken = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - taken > timeoutMs) rmSync(lock, { force: true });
      if (Date.now() > until) throw new Error('Timed out waiting for the build of @parley/cli');
      sleep(1_000);
      continue;
    }
    try {
      const build = spawnSync('pnpm', ['--filter', '@parley/cli...', 'run', 'build'], {
        cwd: root,
        encoding: 'utf8',
        timeout: timeoutMs,
      });
      if (build.status !== 0) throw new Error(`The build failed:\n${build.stdout}\n${build.stderr}`);
      return;
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }
}
