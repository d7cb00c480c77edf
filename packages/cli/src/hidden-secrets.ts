import { withoutPassword } from './target.js';

/** The options whose value is a password (`--password`) or holds one (`-u user:password`). */
const USER_OPTIONS: ReadonlySet<string> = new Set(['-u', '--user']);
const PASSWORD_OPTIONS: ReadonlySet<string> = new Set(['--password']);

/** `user:password` as `user:****`; a value without `:` is a user name alone. */
function maskedUser(value: string): string {
  const colon = value.indexOf(':');
  return colon < 0 ? value : `${value.slice(0, colon)}:****`;
}

/**
 * The command line as other users may read it (`ps`, `/proc/PID/cmdline`), its passwords
 * written `****`: the value of `-u`/`--user` after its `:`, that of `--password`, and the
 * password of each URL, in their separate and glued forms (`-u a:b`, `-ua:b`, `--user=a:b`).
 *
 * @param argv - the arguments after the program's name
 * @returns `parley` and the arguments, separated by spaces.
 *
 * @example
 * ```ts
 * commandLineWithoutSecrets(['-u', 'alice:secret', 'ftp://bob:pw@host/a']);
 * // "parley -u alice:**** ftp://bob:****@host/a"
 * ```
 */
export function commandLineWithoutSecrets(argv: readonly string[]): string {
  const shown: string[] = ['parley'];
  let previous: string | undefined;
  for (const arg of argv) {
    if (previous !== undefined && USER_OPTIONS.has(previous)) shown.push(maskedUser(arg));
    else if (previous !== undefined && PASSWORD_OPTIONS.has(previous)) shown.push('****');
    else if (arg.startsWith('--user=')) shown.push(`--user=${maskedUser(arg.slice(7))}`);
    else if (arg.startsWith('--password=')) shown.push('--password=****');
    else if (/^-u./.test(arg)) shown.push(`-u${maskedUser(arg.slice(2))}`);
    else shown.push(withoutPassword(arg));
    previous = arg;
  }
  return shown.join(' ');
}
