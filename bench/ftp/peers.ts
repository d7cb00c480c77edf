import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';

/** An FTP server of the benchmark, in a process of its own. */
export interface Peer {
  /** `parley`, `pyftpdlib` or `bare-<chunk>`. */
  readonly name: string;
  readonly port: number;
  readonly child: ChildProcess;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));
const PYTHON = '/usr/bin/python3';

/**
 * Starts a script of this folder in its own process, bundled to plain JavaScript first (into
 * `<root>/.bundle`, hidden from the listings) so its memory is the server's, not a TypeScript loader's.
 */
async function startBundled(name: string, script: string, root: string, args: string[]): Promise<Peer> {
  const bundled = await bundle(join(HERE, script), join(root, '.bundle', script.replace(/\.ts$/, '.mjs')));
  const child = spawn(process.execPath, [bundled, root, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await firstMatch(child, child.stdout, /"port":\s*(\d+)/);
  return { name, port, child };
}

/** The Parley FTP server serving `root` (see disk-store.ts). */
export function startParley(root: string): Promise<Peer> {
  return startBundled('parley', 'parley-server.ts', root, []);
}

/** The bare `createReadStream` pipe serving `root` with reads and writes of `chunkBytes` (see bare-server.ts). */
export function startBare(root: string, chunkBytes: number): Promise<Peer> {
  return startBundled(`bare-${chunkBytes / 1024}k`, 'bare-server.ts', root, [String(chunkBytes)]);
}

/** pyftpdlib (Debian's, under /usr/bin/python3) serving `root`, writable, anonymous. */
export async function startPyftpdlib(root: string): Promise<Peer> {
  const args = ['-m', 'pyftpdlib', '-p', '0', '-w', '-d', root, '-i', '127.0.0.1'];
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await firstMatch(child, child.stderr, /starting FTP server on [\d.]+:(\d+)/);
  return { name: 'pyftpdlib', port, child };
}

/** Waits for a line of a child's output matching `pattern` and returns its number. */
function firstMatch(
  child: ChildProcess,
  stream: NodeJS.ReadableStream | null,
  pattern: RegExp,
): Promise<number> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${seen}`)), 20_000);
    stream?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${seen}`));
    });
  });
}

/** Stops a server: SIGTERM, then SIGKILL after 3 s. */
export async function stopPeer(peer: Peer): Promise<void> {
  const { child } = peer;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
