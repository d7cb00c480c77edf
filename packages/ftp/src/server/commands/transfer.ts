import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { Body, isSuccess } from '@parley/core';
import { ftpReply } from '../../status-map.js';
import { asciiToLocal, localToAscii } from '../ascii.js';
import { FtpFailure } from '../failure.js';
import type { Session } from '../session.js';
import { counted, sendBody, uploadBody } from '../transfer-io.js';
import type { CommandTable } from './command.js';
import { describeFile } from './files.js';

/** File transfers: RETR (GET), STOR (PUT), APPE (POST), STOU (PUT to a new unique name). */
export const TRANSFER_COMMANDS: CommandTable = {
  RETR: { needsArg: true, kind: 'transfer', run: retrieve },
  STOR: {
    needsArg: true,
    kind: 'transfer',
    run: (session, arg) => store(session, () => session.filePath(arg), 'PUT'),
  },
  APPE: {
    needsArg: true,
    kind: 'transfer',
    run: (session, arg) => store(session, () => session.filePath(arg), 'POST'),
  },
  STOU: {
    kind: 'transfer',
    run(session, arg) {
      const base = arg.trim() === '' ? 'file' : arg.trim();
      return store(session, () => session.filePath(`${base}.${randomUUID().slice(0, 8)}`), 'PUT', true);
    },
  },
};

/** `RETR`: a GET; a `REST` offset rides as `range: bytes=<n>-`, skipped here unless honoured. */
async function retrieve(session: Session, arg: string): Promise<void> {
  const offset = takeRest(session);
  const path = session.filePath(arg);
  const channel = session.transfers.take();
  await session.transfers.run(channel, async (signal) => {
    const headers = offset > 0 ? { range: `bytes=${offset}-` } : undefined;
    const response = await session.request('GET', path, { headers, signal });
    if (!isSuccess(response.status)) {
      session.transfers.finish();
      return session.replyFailure(response, 'transfer');
    }
    const size = response.headers.get('content-length') ?? response.body.size;
    const length = size === undefined ? undefined : Number(size);
    if (length !== undefined && offset > length && !response.headers.has('content-range')) {
      await response.body.cancel();
      session.transfers.finish();
      return session.reply(
        554,
        `Invalid REST parameter: ${offset} is past the end of the file (${size} bytes)`,
      );
    }
    session.reply(
      150,
      `Opening ${session.asciiType ? 'ASCII' : 'BINARY'} mode data connection for ${path}${size === undefined ? '' : ` (${size} bytes)`}`,
    );
    let socket: Socket;
    try {
      socket = await session.transfers.openData(channel, signal);
    } catch (error) {
      await response.body.cancel();
      throw error;
    }
    session.transfers.watchData(socket, 'send');
    // In TYPE A the body's own bytes are counted, before line ends become CRLF; a REST offset
    // the handler did not honour is skipped there too: it counts the file's bytes (as a
    // handler that honours `range` counts them), not the CRs added on the wire.
    const tally = { bytes: 0 };
    const sent = session.asciiType
      ? {
          ...response,
          body: Body.from(
            localToAscii(skipBytes(counted(response.body, tally), unhonoured(response, offset))),
          ),
        }
      : response;
    const read = await sendBody(
      sent,
      socket,
      session.asciiType ? 0 : offset,
      signal,
      session.shared.readBudget,
    );
    session.transfers.finish();
    const had = session.asciiType ? tally.bytes : read;
    // A file cut short while it was sent (or a handler's body shorter than it said) is no 226.
    if (length !== undefined && had < length)
      return session.reply(451, `Transfer incomplete: the file ended after ${had} of its ${length} bytes`);
    session.replyStatus(response, 'transfer', 'Transfer complete');
  });
}

/** The offset a response leaves for the server to skip: all of it unless it has a `content-range`. */
function unhonoured(response: { headers: { has(name: string): boolean } }, offset: number): number {
  return offset > 0 && !response.headers.has('content-range') ? offset : 0;
}

/** `source` without its first `skip` bytes. */
async function* skipBytes(source: AsyncIterable<Uint8Array>, skip: number): AsyncGenerator<Uint8Array> {
  let left = skip;
  for await (const chunk of source) {
    if (left >= chunk.byteLength) {
      left -= chunk.byteLength;
      continue;
    }
    yield left === 0 ? chunk : chunk.subarray(left);
    left = 0;
  }
}

/** `STOR`, `APPE`, `STOU`: the data connection streams into the request body. */
async function store(
  session: Session,
  target: () => string,
  method: 'PUT' | 'POST',
  unique = false,
): Promise<void> {
  const offset = takeRest(session);
  const path = target();
  if (offset > 0 && method === 'PUT') {
    session.transfers.prepare(undefined);
    throw new FtpFailure(554, 'REST before STOR is not supported; resume uploads with APPE');
  }
  if (offset > 0) await checkAppendOffset(session, path, offset);
  const channel = session.transfers.take();
  const { maxBodyBytes } = session.shared.options;
  await session.transfers.run(channel, async (signal) => {
    session.reply(150, unique ? `FILE: ${path.slice(path.lastIndexOf('/') + 1)}` : 'Ok to send data');
    const socket = await session.transfers.openData(channel, signal);
    session.transfers.watchData(socket, 'receive');
    const upload = uploadBody(socket, maxBodyBytes, signal, () => session.transfers.confirmUpload());
    const body = session.asciiType ? Body.from(asciiToLocal(upload.body)) : upload.body;
    const response = await session.request(method, path, { body, signal });
    const complete = socket.readableEnded;
    if (!complete) socket.destroy();
    session.transfers.finish();
    if (upload.exceeded()) {
      await response.body.cancel();
      const reply = ftpReply(
        'too_large',
        'transfer',
        `The upload is larger than the limit of ${maxBodyBytes} bytes`,
      );
      return session.reply(reply.code, reply.text);
    }
    if (!complete && socket.errored !== null) {
      await response.body.cancel();
      return session.reply(426, 'Data connection lost; transfer aborted');
    }
    const name = unique ? ` (unique file name: ${path})` : '';
    await session.replyResponse(response, 'transfer', `Transfer complete${name}`);
  });
}

/**
 * `REST n` before `APPE`: the bytes always go at the end of the file, so an offset is taken only
 * when it is the file's size (a resumed upload); any other offset would put them elsewhere than
 * the client asked, and is refused with 554 before any transfer.
 */
async function checkAppendOffset(session: Session, path: string, offset: number): Promise<void> {
  const size = (await describeFile(session, path))?.entry.size;
  if (size === offset) return;
  session.transfers.prepare(undefined);
  const has = size === undefined ? 'its size is not known' : `it has ${size} bytes`;
  throw new FtpFailure(554, `REST ${offset} before APPE is refused: APPE appends at the end and ${has}`);
}

/**
 * The `REST` offset, cleared: every transfer command takes it first, whether it uses it or fails,
 * so it never carries over to a later transfer.
 */
export function takeRest(session: Session): number {
  const offset = session.rest;
  session.rest = 0;
  return offset;
}
