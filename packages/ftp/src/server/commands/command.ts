import type { FtpReplyKind } from '../../status-map.js';
import type { Session } from '../session.js';

/** One FTP command's handling. */
export interface Command {
  /** Allowed before login. Default: false (530 before login). */
  readonly public?: boolean | undefined;
  /** Refused with 501 without an argument. Default: false. */
  readonly needsArg?: boolean | undefined;
  /** The kind of reply a thrown failure gets. Default: `command`. */
  readonly kind?: FtpReplyKind | undefined;
  /** Runs the command; a thrown error becomes a reply. */
  run(session: Session, arg: string): void | Promise<void>;
}

/** A table of commands by verb. */
export type CommandTable = Readonly<Record<string, Command>>;
