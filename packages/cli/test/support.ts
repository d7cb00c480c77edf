import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { ensureBuilt } from './build.js';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The command as a shell runs it: the built entry point, `dist/bin.cjs`, as users get it. */
export const PARLEY = [`${ROOT}packages/cli/dist/bin.cjs`];

/** Builds the command when its `dist` is missing or stale (call it in `beforeAll`, generous timeout). */
export function buildParley(): void {
  ensureBuilt(ROOT);
}

/** How long a test file may take to build the command in its `beforeAll`. */
export const BUILD_TIMEOUT_MS = 900_000;

/** What a run of the command gave. */
export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How long one run of the command may take before it is killed (a loaded machine is slow). */
const RUN_TIMEOUT_MS = 120_000;

/** Runs a program to its end (killed after {@link RUN_TIMEOUT_MS}), collecting its output. */
function collect(
  command: string,
  args: readonly string[],
  input: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** Runs `parley ...args` to its end. */
/** curl's exit code for `args` (silent, its output thrown away), to compare `parley`'s with. */
export function curlExit(args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    execFile('curl', ['-s', '-o', '/dev/null', ...args], (error) =>
      resolve(error === null ? 0 : Number((error as { code?: unknown }).code)),
    );
  });
}

export function parley(args: readonly string[], input?: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return collect(process.execPath, [...PARLEY, ...args], input, env);
}

/** Runs a shell command line (pipes, `script`) to its end, without blocking this process. */
export function shell(line: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return collect('bash', ['-c', line], undefined, env);
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
    const timer = setTimeout(() => reject(new Error(`parley serve did not start: ${text}`)), 120_000);
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

/** A fresh folder served by `parley serve` (see {@link servedFolder}). */
export interface ServedFolder {
  /** The folder. */
  readonly dir: string;
  /** The running `parley serve` (read it in tests, once it started). */
  readonly serving: Serving;
}

/**
 * Serves a fresh temporary folder named from `prefix` with `parley serve DIR ...args` for the
 * tests of the file or describe block this is called in: before them it builds the command,
 * lets `prepare` fill the folder and starts the server; after them it stops the server and
 * removes the folder.
 */
export function servedFolder(
  prefix: string,
  args: readonly string[] = [],
  prepare?: (dir: string) => void,
): ServedFolder {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let serving: Serving | undefined;
  beforeAll(async () => {
    buildParley();
    prepare?.(dir);
    serving = await serve(dir, args);
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await serving?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    get serving() {
      if (serving === undefined) throw new Error('parley serve has not started');
      return serving;
    },
  };
}

/** A plain node:http server on a free port of 127.0.0.1, and its base URL; closed with `stop`. */
export async function plainHttpServer(
  handler: RequestListener,
): Promise<{ readonly base: string; stop(): void }> {
  const server = createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    base: `http://127.0.0.1:${port}`,
    stop() {
      server.closeAllConnections();
      server.close();
    },
  };
}
