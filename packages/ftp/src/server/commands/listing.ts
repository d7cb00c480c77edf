import { type Entry, isSuccess, leftOutOf, type Response, readListing } from '@parley/core';
import { FtpFailure } from '../failure.js';
import { globMatcher, hasGlob } from '../glob.js';
import { factLine, leftOutNote, renderListing } from '../listing-format.js';
import type { Session } from '../session.js';
import { writeAll } from '../transfer-io.js';
import type { CommandTable } from './command.js';
import { describeDirectory, describeFile } from './files.js';
import { takeRest } from './transfer.js';

/** Directory listings: MLSD, LIST, NLST (all from one `LIST` request) and MLST (one entry). */
export const LISTING_COMMANDS: CommandTable = {
  MLSD: { kind: 'transfer', run: (session, arg) => list(session, arg, 'MLSD') },
  LIST: { kind: 'transfer', run: (session, arg) => list(session, withoutFlags(arg), 'LIST') },
  NLST: { kind: 'transfer', run: (session, arg) => list(session, withoutFlags(arg), 'NLST') },
  MLST: { kind: 'file', run: mlst },
};

/**
 * `LIST -la dir` gives `dir`: `ls` flags some clients send are ignored. A flag is a whole word
 * (`-la`): a name that only starts like one (`-x.txt`) stays as it is.
 */
export function withoutFlags(arg: string): string {
  return arg.replace(/^(\s*-[A-Za-z]+(?=\s|$))+\s*/, '').trim();
}

async function list(session: Session, arg: string, format: 'MLSD' | 'LIST' | 'NLST'): Promise<void> {
  // A listing starts at its beginning; a `REST` before it is spent, not kept for the next RETR.
  takeRest(session);
  const path = session.directoryPath(arg.trim());
  const channel = session.transfers.take();
  await session.transfers.run(channel, async (signal) => {
    const response = await session.request('LIST', path, { signal });
    let found: Named | undefined;
    if (isSuccess(response.status)) {
      found = { entries: await readEntries(response, session.shared.options.maxListingBytes), prefix: '' };
    } else if (format !== 'MLSD') {
      found = await namedFiles(session, arg.trim(), signal);
    }
    if (found === undefined) {
      session.transfers.finish();
      return session.replyFailure(response, 'transfer');
    }
    await response.body.cancel();
    session.reply(150, 'Here comes the directory listing');
    const socket = await session.transfers.openData(channel, signal);
    session.transfers.watchData(socket, 'send');
    await writeAll(socket, renderListing(found.entries, format, session.mlstFacts, found.prefix), signal);
    session.transfers.finish();
    const text = `Directory send OK${leftOutNote(found.entries, isSuccess(response.status) ? leftOutOf(response) : 0)}`;
    if (isSuccess(response.status)) session.replyStatus(response, 'transfer', text);
    else session.reply(226, text);
  });
}

/** Entries to list, named after `prefix` (the folder part of the argument as given). */
interface Named {
  readonly entries: Entry[];
  readonly prefix: string;
}

/**
 * What `LIST`/`NLST` of a path that is no folder show: that one file (RFC 959), or the files of
 * a folder matching a glob in the last name (`NLST *.txt`, as `mget` sends); `undefined` when
 * there is none.
 */
async function namedFiles(session: Session, arg: string, signal: AbortSignal): Promise<Named | undefined> {
  if (arg === '' || arg.endsWith('/')) return undefined;
  const prefix = arg.slice(0, arg.lastIndexOf('/') + 1);
  const name = arg.slice(prefix.length);
  const file = await describeFile(session, session.resolve(arg));
  if (file !== undefined) return { entries: [{ ...file.entry, name }], prefix };
  if (!hasGlob(name)) return undefined;
  const response = await session.request('LIST', session.directoryPath(prefix), { signal });
  if (!isSuccess(response.status)) {
    await response.body.cancel();
    return undefined;
  }
  const matches = globMatcher(name);
  const entries = await readEntries(response, session.shared.options.maxListingBytes);
  const found = entries.filter((entry) => matches(entry.name));
  return found.length === 0 ? undefined : { entries: found, prefix };
}

/** The entries of a `LIST` response, refusing a body over the limit or not a listing with 451. */
export async function readEntries(response: Response, limit: number): Promise<Entry[]> {
  try {
    return await readListing(response, { maxBytes: limit });
  } catch (error) {
    throw new FtpFailure(451, `The directory listing could not be read: ${(error as Error).message}`);
  }
}

/** `MLST path`: the facts of one file or directory, from `HEAD` (or `LIST` for a directory). */
async function mlst(session: Session, arg: string): Promise<void> {
  const target = arg.trim();
  const file = target === '' ? undefined : await describeFile(session, session.resolve(target));
  // A HEAD without a size may be a handler's answer for a folder named without its `/`.
  const sizeless = file !== undefined && file.entry.size === undefined;
  const folder = sizeless ? await folderOrNone(session, target) : undefined;
  const found = folder ?? file ?? (await describeDirectory(session, session.directoryPath(target)));
  const line = factLine(found.entry, session.mlstFacts, found.path);
  session.replyLines(250, `Listing ${found.path}`, [line], 'End');
}

/** The directory `target` names, or `undefined` when it names none. */
async function folderOrNone(session: Session, target: string) {
  try {
    return await describeDirectory(session, session.directoryPath(target));
  } catch {
    return undefined;
  }
}

/**
 * `STAT path` (RFC 959): the `LIST` lines of a file or a directory, sent over the control
 * connection as a 213 reply instead of a data connection.
 */
export async function statPath(session: Session, arg: string): Promise<void> {
  const resolved = session.resolve(arg.trim());
  // The folder first: a handler may answer a HEAD of a folder named without its `/` too.
  const response = await session.request('LIST', session.directoryPath(arg));
  let entries: Entry[];
  let handlerLeftOut = 0;
  if (isSuccess(response.status)) {
    entries = await readEntries(response, session.shared.options.maxListingBytes);
    handlerLeftOut = leftOutOf(response);
  } else {
    const file = resolved.endsWith('/') ? undefined : await describeFile(session, resolved);
    if (file === undefined) return session.replyFailure(response, 'file');
    await response.body.cancel();
    entries = [file.entry];
  }
  const lines = renderListing(entries, 'LIST', session.mlstFacts).split('\r\n').slice(0, -1);
  const named = arg.trim() === '' ? session.cwd : arg;
  session.replyLines(
    213,
    `Status of ${named}:`,
    lines,
    `End of status${leftOutNote(entries, handlerLeftOut)}`,
  );
}
