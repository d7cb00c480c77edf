import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';

/** A script of this folder running in a process of its own, talking in JSON lines. */
export interface BenchProcess {
  readonly child: ChildProcess;
  /** The first JSON line it printed (it is ready then). */
  readonly ready: Record<string, unknown>;
  /** Writes one JSON line to its standard input. */
  send(message: unknown): void;
  /** The next JSON line it prints; rejects when it exits first. */
  next(): Promise<Record<string, unknown>>;
  /** Ends its input (it exits then), SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
}

const bundles = new Map<string, Promise<string>>();

/**
 * Starts `node <script bundled> ...args`, bundled first (once per run, into `.build/`) so the
 * process's CPU time is its own work on plain `node`, not a TypeScript loader's. `nodeArgs` go
 * before the script (`--cpu-prof` to profile it). Resolves once it printed its first JSON line.
 */
export async function startProcess(
  script: string,
  args: readonly string[],
  nodeArgs: readonly string[] = [],
): Promise<BenchProcess> {
  let bundled = bundles.get(script);
  if (bundled === undefined) {
    const source = fileURLToPath(new URL(script, import.meta.url));
    bundled = bundle(
      source,
      fileURLToPath(new URL(`.build/${script.replace(/\.ts$/, '.mjs')}`, import.meta.url)),
    );
    bundles.set(script, bundled);
  }
  const child = spawn(process.execPath, [...nodeArgs, await bundled, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = lineReader(child, `${script} ${args.join(' ')}`);
  const ready = await lines();
  return {
    child,
    ready,
    send: (message) => child.stdin?.write(`${JSON.stringify(message)}\n`),
    next: lines,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Reads a child's output as JSON lines, one per call; the first waits at most 20 s. */
function lineReader(child: ChildProcess, name: string): () => Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let pending = '';
  let ended: Error | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let newline = pending.indexOf('\n'); newline !== -1; newline = pending.indexOf('\n')) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const reader = waiting.shift();
      if (reader === undefined) lines.push(line);
      else reader.resolve(line);
    }
  });
  child.once('exit', (code, signal) => {
    ended = new Error(`${name} exited (${code ?? signal}): ${pending}`);
    for (const reader of waiting.splice(0)) reader.reject(ended);
  });
  let first = true;
  return async () => {
    const line = lines.shift();
    if (line !== undefined) return JSON.parse(line) as Record<string, unknown>;
    if (ended !== undefined) throw ended;
    const limit = first ? 20_000 : undefined;
    first = false;
    const text = await new Promise<string>((resolve, reject) => {
      const timer =
        limit === undefined
          ? undefined
          : setTimeout(() => reject(new Error(`${name} did not start within 20 s`)), limit);
      waiting.push({
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    return JSON.parse(text) as Record<string, unknown>;
  };
}
