import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';

/** A benchmark server in a process of its own (see server.ts). */
export interface ServerProcess {
  /** `parley` or `ws`. */
  readonly kind: string;
  /** Its endpoint, `ws://127.0.0.1:<port>/<path>`. */
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGTERM, then SIGKILL after 3 s; resolves once it exited. */
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('server.ts', import.meta.url));
const BUNDLED = fileURLToPath(new URL('.build/server.mjs', import.meta.url));
let bundled: Promise<string> | undefined;

/**
 * Starts `server.ts <kind>` on plain `node`, bundled first (once per run) so the server's CPU and
 * memory are its own, not a TypeScript loader's. `nodeArgs` go before the script
 * (`--cpu-prof` to profile it).
 */
export async function startServer(kind: string, nodeArgs: readonly string[] = []): Promise<ServerProcess> {
  bundled ??= bundle(SCRIPT, BUNDLED);
  const child = spawn(process.execPath, [...nodeArgs, await bundled, kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const ready = await firstLine(child);
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return { kind, url: `ws://127.0.0.1:${ready.port}${ready.path}`, child, stop };
}

/** The JSON line a server prints once listening; rejects when it exits first or takes over 20 s. */
function firstLine(child: ChildProcess): Promise<{ port: number; path: string }> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`the server did not start within 20 s: ${seen}`)),
      20_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const newline = seen.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      resolve(JSON.parse(seen.slice(0, newline)) as { port: number; path: string });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening: ${seen}`));
    });
  });
}
