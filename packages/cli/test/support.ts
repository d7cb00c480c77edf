import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository's root (tsx resolves `@parley/*` to sources through its tsconfig paths). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The command as a shell runs it: the real entry point, from source. */
export const PARLEY = ['--import', 'tsx', `${ROOT}packages/cli/src/bin.ts`];

/** What a run of the command gave. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `parley ...args` to its end. */
export function parley(args: readonly string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...PARLEY, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
    );
    child.stdin.end(input ?? '');
  });
}

/** Runs a shell command line (pipes, `script`) to its end. */
export function shell(line: string): Run {
  const result = spawnSync('bash', ['-c', line], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The shell words that run the command. */
export const PARLEY_SHELL = `${process.execPath} ${PARLEY.join(' ')}`;

/** A running `parley serve`. */
export interface Serving {
  readonly child: ChildProcess;
  /** Protocol name to URL, from the banner. */
  readonly urls: Readonly<Record<string, string>>;
  /** What it printed so far. */
  output(): string;
  /** Sends SIGTERM and waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `parley serve DIR ...args` on free ports and waits for its banner. */
export function serve(dir: string, args: readonly string[] = []): Promise<Serving> {
  const ports = [
    '--http-port',
    '0',
    '--ftp-port',
    '0',
    '--smtp-port',
    '0',
    '--mqtt-port',
    '0',
    '--mqtt-ws-port',
    '0',
  ];
  const child = spawn(process.execPath, [...PARLEY, 'serve', dir, ...ports, ...args], { cwd: ROOT });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`parley serve did not start: ${text}`)), 30_000);
    const check = (): void => {
      if (!/mqtt\+ws\s/.test(text)) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      const urls: Record<string, string> = {};
      for (const [, name, url] of text.matchAll(/^ {2}(\S+)\s+(\S+)$/gm))
        urls[name as string] = url as string;
      resolve({ child, urls, output: () => text, stop });
    };
    child.stdout.on('data', check);
    child.once('exit', () => reject(new Error(`parley serve exited: ${text}`)));
  });
}
