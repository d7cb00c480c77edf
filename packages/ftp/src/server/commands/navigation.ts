import type { Session } from '../session.js';
import type { CommandTable } from './command.js';
import { describeDirectory } from './files.js';

/** The working directory: PWD, CWD, CDUP (and their `X` aliases). */
export const NAVIGATION_COMMANDS: CommandTable = {
  PWD: { run: pwd },
  XPWD: { run: pwd },
  CWD: { needsArg: true, kind: 'file', run: cwd },
  XCWD: { needsArg: true, kind: 'file', run: cwd },
  CDUP: { kind: 'file', run: (session) => cwd(session, '..') },
  XCUP: { kind: 'file', run: (session) => cwd(session, '..') },
};

function displayPath(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

function pwd(session: Session): void {
  const quoted = `"${displayPath(session.cwd).replaceAll('"', '""')}"`;
  session.reply(257, `${quoted} is the current directory`);
}

async function cwd(session: Session, arg: string): Promise<void> {
  const { path } = await describeDirectory(session, session.directoryPath(arg));
  session.cwd = path;
  session.reply(250, `Directory changed to ${displayPath(path)}`);
}
