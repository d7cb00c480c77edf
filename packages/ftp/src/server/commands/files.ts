import { DESTINATION_HEADER, type Entry, isSuccess, type Status } from '@parley/core';
import { quotePath } from '../../status-map.js';
import { FtpFailure } from '../failure.js';
import { ftpTime } from '../listing-format.js';
import type { Session } from '../session.js';
import type { Command, CommandTable } from './command.js';

const RMD: Command = {
  needsArg: true,
  kind: 'file',
  async run(session, arg) {
    const path = session.directoryPath(arg);
    if (path === '/') throw new FtpFailure(550, 'The root directory cannot be removed');
    const response = await session.request('DELETE', path);
    await session.replyResponse(response, 'file', 'Directory removed');
  },
};

const MKD: Command = {
  needsArg: true,
  kind: 'directory',
  async run(session, arg) {
    const path = session.directoryPath(arg);
    if (path === '/') throw new FtpFailure(550, 'The root directory exists already');
    const response = await session.request('PUT', path);
    await session.replyResponse(response, 'directory', 'created', path.slice(0, -1));
  },
};

/** File actions: DELE, RMD, MKD (and their `X` aliases), RNFR/RNTO, SIZE, MDTM. */
export const FILE_COMMANDS: CommandTable = {
  DELE: {
    needsArg: true,
    kind: 'file',
    async run(session, arg) {
      const response = await session.request('DELETE', session.filePath(arg));
      await session.replyResponse(response, 'file', 'File deleted');
    },
  },
  RMD,
  XRMD: RMD,
  MKD,
  XMKD: MKD,
  RNFR: {
    needsArg: true,
    kind: 'file',
    async run(session, arg) {
      const path = session.filePath(arg);
      const response = await session.request('HEAD', path);
      await response.body.cancel();
      if (response.status === 'not_found') return session.replyFailure(response, 'file');
      session.renameFrom = { path, at: session.commandCount };
      session.reply(350, 'Ready for RNTO');
    },
  },
  RNTO: { needsArg: true, kind: 'file', run: rename },
  SIZE: {
    needsArg: true,
    kind: 'info',
    async run(session, arg) {
      const { entry } = await describeFile(session, session.filePath(arg), true);
      if (entry.size === undefined) throw new FtpFailure(550, `The size of ${arg.trim()} is not known`);
      session.reply(213, String(entry.size));
    },
  },
  MDTM: {
    needsArg: true,
    kind: 'info',
    async run(session, arg) {
      if (SET_TIME.test(arg) && (await describeFile(session, session.filePath(arg))) === undefined) {
        return session.reply(501, 'MDTM <time> <file> (setting the modification time) is not supported');
      }
      const { entry } = await describeFile(session, session.filePath(arg), true);
      const time = ftpTime(entry.modified);
      if (time === undefined)
        throw new FtpFailure(550, `The modification time of ${arg.trim()} is not known`);
      session.reply(213, time);
    },
  },
};

/** The argument of `MDTM` in its set-time form (`MDTM 20240101120000 a.txt`). */
const SET_TIME = /^\d{14}(\.\d{1,3})?\s+\S/;

/**
 * `RNTO`: one `MOVE` of the `RNFR` path with the new path in its `destination` header field; the
 * handler renames in one step, so no failure leaves neither name holding the data. A rename onto
 * the same name answers 250 without asking the handler.
 */
async function rename(session: Session, arg: string): Promise<void> {
  const from = session.renameFrom;
  session.renameFrom = undefined;
  if (from === undefined || from.at !== session.commandCount - 1)
    return session.reply(503, 'RNFR required first');
  const to = session.filePath(arg);
  if (to === from.path) return session.reply(250, `Renamed to ${to} (the same name: nothing to do)`);
  const response = await session.request('MOVE', from.path, { headers: { [DESTINATION_HEADER]: to } });
  await session.replyResponse(response, 'file', `Renamed to ${to}`);
}

/** The failures of a `LIST` that still tell the directory exists. */
const EXISTING: ReadonlySet<Status> = new Set(['method_not_allowed', 'too_large']);

/** What `HEAD` says of a file: an entry with its size and modification time. */
export async function describeFile(
  session: Session,
  path: string,
  required: true,
): Promise<{ path: string; entry: Entry }>;
export async function describeFile(
  session: Session,
  path: string,
): Promise<{ path: string; entry: Entry } | undefined>;
export async function describeFile(
  session: Session,
  path: string,
  required = false,
): Promise<{ path: string; entry: Entry } | undefined> {
  const response = await session.request('HEAD', path);
  if (!isSuccess(response.status)) {
    if (required) throw await session.failureOf(response, 'info');
    await response.body.cancel();
    return undefined;
  }
  await response.body.cancel();
  const length = response.headers.get('content-length');
  const size = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
  const name = path.slice(path.lastIndexOf('/') + 1);
  return { path, entry: { name, type: 'file', size, modified: response.headers.get('last-modified') } };
}

/**
 * Whether a directory exists, by a `LIST` of it (a listing route answering 405, or a folder too
 * large to list, answering 413 `too_large`, counts as existing).
 */
export async function describeDirectory(
  session: Session,
  path: string,
): Promise<{ path: string; entry: Entry }> {
  if (path !== '/') {
    const response = await session.request('LIST', path);
    await response.body.cancel();
    if (!isSuccess(response.status) && !EXISTING.has(response.status)) {
      throw new FtpFailure(550, `Not found: no directory ${quotePath(path)}`);
    }
  }
  return { path, entry: { name: path, type: 'directory' } };
}
