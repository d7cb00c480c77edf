import { execFile, spawnSync } from 'node:child_process';

/**
 * Whether an interop peer is installed. Outside CI a missing peer skips its tests; under
 * `CI=true` they run anyway and fail, so a missing peer is never silently skipped. With
 * `anyExit`, a peer that starts counts whatever its exit status (ncftpget and tnftp have no
 * option that exits with 0).
 */
export function peerAvailable(
  command: string,
  args: readonly string[] = ['--version'],
  anyExit = false,
): boolean {
  if (process.env.CI === 'true') return true;
  const probe = spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 });
  return probe.error === undefined && (anyExit || probe.status === 0);
}

/** What a peer process printed and how it ended. */
export interface PeerRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a peer command (bounded by `timeoutMs`, in the directory `cwd`, by default this process's),
 * resolving even when it exits non-zero.
 */
export function runPeer(
  command: string,
  args: readonly string[],
  timeoutMs = 20_000,
  cwd?: string,
): Promise<PeerRun> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, cwd },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') return reject(error);
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** The Debian Python with ftplib and pyftpdlib (the first `python3` on PATH may be another build). */
export const PYTHON = '/usr/bin/python3';
