import { spawnSync } from 'node:child_process';

/**
 * Whether a peer program is there. With `args`, whether `command args...` runs and exits 0 (to
 * probe a module or a feature, such as `hasPeer('/usr/bin/python3', ['-c', 'import ftplib'])`);
 * without, whether `command` is on PATH or in `/usr/sbin` (where Debian puts daemons).
 */
export function hasPeer(command: string, args?: readonly string[]): boolean {
  if (args !== undefined) {
    const result = spawnSync(command, args, { stdio: 'ignore' });
    return result.error === undefined && result.status === 0;
  }
  return (
    spawnSync('sh', ['-c', `command -v "$0" || test -x "/usr/sbin/$0"`, command], { stdio: 'ignore' })
      .status === 0
  );
}

/**
 * Whether tests that need a peer should run: yes when it is there; when it is missing, no
 * outside CI, and under CI (`CI=true`), where every peer must be installed, an error naming it.
 * `available` defaults to {@link hasPeer} of `name`; pass a probe's result for a peer that is a
 * module or a feature (`requirePeer("Python's websockets", hasPeer(PYTHON, ['-c', 'import websockets']))`).
 */
export function requirePeer(name: string, available: boolean = hasPeer(name)): boolean {
  return available || missing([name]);
}

/** {@link requirePeer} for several programs at once: true when every one is there. */
export function requirePeers(...commands: string[]): boolean {
  const absent = commands.filter((command) => !hasPeer(command));
  return absent.length === 0 || missing(absent);
}

/** False outside CI; under CI (`CI=true`), an error naming the missing peers. */
function missing(names: readonly string[]): false {
  if (process.env.CI === 'true') throw new Error(`Missing required peer(s) under CI: ${names.join(', ')}`);
  return false;
}

/** The path of a program: from PATH, else `/usr/sbin/<command>`. */
export function peerPath(command: string): string {
  const found = spawnSync('sh', ['-c', 'command -v "$0"', command]).stdout.toString().trim();
  return found === '' ? `/usr/sbin/${command}` : found;
}
