import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PYTHON = '/usr/bin/python3';

/** Whether Debian's pyftpdlib runs here; under CI its absence fails the run. */
export const available = spawnSync(PYTHON, ['-c', 'import pyftpdlib'], { stdio: 'ignore' }).status === 0;
if (!available && process.env.CI === 'true') {
  throw new Error(`pyftpdlib is required under CI: ${PYTHON} -c "import pyftpdlib" failed`);
}

/** A running pyftpdlib. */
export interface Pyftpdlib {
  readonly url: string;
  readonly root: string;
  stop(): Promise<void>;
}

/** Starts pyftpdlib on a free port serving a fresh temporary directory, writable. */
export async function startPyftpdlib(user?: { name: string; password: string }): Promise<Pyftpdlib> {
  const root = mkdtempSync(join(tmpdir(), 'parley-pyftpdlib-'));
  const args = ['-m', 'pyftpdlib', '-p', '0', '-w', '-d', root, '-i', '127.0.0.1'];
  if (user !== undefined) args.push('-u', user.name, '-P', user.password);
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`pyftpdlib did not start: ${seen}`)), 10_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /starting FTP server on [\d.]+:(\d+)/.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`pyftpdlib exited with ${code}: ${seen}`)));
  });
  child.stderr?.resume();
  return {
    url: `ftp://127.0.0.1:${port}`,
    root,
    stop: () => stopChild(child, root),
  };
}

async function stopChild(child: ChildProcess, root: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(root, { recursive: true, force: true });
}
