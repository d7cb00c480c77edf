import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';

/** A benchmark process started from a script next to this one. */
export interface Child {
  readonly process: ChildProcess;
  /** The first JSON line the child printed. */
  readonly ready: Record<string, unknown>;
  /** Asks the child to stop (SIGTERM) and waits for it; returns the last JSON line it printed after the first. */
  stop(): Promise<Record<string, unknown> | undefined>;
}

const bundles = new Map<string, Promise<string>>();

/** Bundles a script next to this one into `bench/http/.build` once per run (see {@link bundle}). */
function bundled(script: string): Promise<string> {
  const known = bundles.get(script);
  if (known !== undefined) return known;
  const name = script.replace(/^\.\//, '').replace(/\.ts$/, '.mjs');
  const out = fileURLToPath(new URL(`.build/${name}`, import.meta.url));
  const made = bundle(fileURLToPath(new URL(script, import.meta.url)), out, {
    external: ['undici', 'fastify', 'express'],
  });
  bundles.set(script, made);
  return made;
}

/** Starts `node <bundled script> ...args` and waits for its first JSON line. */
export async function startChild(script: string, args: readonly string[]): Promise<Child> {
  const child = spawn(process.execPath, [await bundled(script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let pending = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const first = new Promise<Record<string, unknown>>((resolve, reject) => {
    void exited.then(() => reject(new Error(`${script} ${args.join(' ')} exited with ${child.exitCode}`)));
    child.stdout.on('data', (data: Buffer) => {
      pending += data.toString();
      for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
        lines.push(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
      }
      if (lines.length > 0) resolve(JSON.parse(lines[0] as string) as Record<string, unknown>);
    });
  });
  const ready = await first;
  return {
    process: child,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      const last = lines.at(-1);
      return lines.length > 1 && last !== undefined
        ? (JSON.parse(last) as Record<string, unknown>)
        : undefined;
    },
  };
}
