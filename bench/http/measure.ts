import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A benchmark process started from a script next to this one, with the port it printed. */
export interface Child {
  readonly process: ChildProcess;
  /** The first JSON line the child printed. */
  readonly ready: Record<string, unknown>;
  /** Asks the child to stop and waits for it, returning the JSON line it printed last, if any. */
  stop(): Promise<Record<string, unknown> | undefined>;
}

/** Starts `node --import tsx <script> ...args` and waits for its first JSON line. */
export async function startChild(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Child> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  let pending = '';
  const first = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited with ${code}`)));
    child.stdout?.on('data', (data: Buffer) => {
      pending += data.toString();
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        lines.push(pending.slice(0, newline));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      if (lines.length > 0) resolve(JSON.parse(lines[0] as string) as Record<string, unknown>);
    });
  });
  const ready = await first;
  return {
    process: child,
    ready,
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      const last = lines.at(-1);
      return lines.length > 1 && last !== undefined
        ? (JSON.parse(last) as Record<string, unknown>)
        : undefined;
    },
  };
}
