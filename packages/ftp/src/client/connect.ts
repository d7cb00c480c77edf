import type { Readable } from 'node:stream';
import {
  abortError,
  type Connector,
  moveDestination,
  moveOverwrites,
  ParleyError,
  type Request,
  type Response,
  respond,
  respondListing,
  type Trace,
} from '@parley/core';
import { credentialsOf, hostOf, portOf, refuseQuery } from '@parley/core/transport';
import type { AccessOptions, Client as BasicClient } from 'basic-ftp';
import { statusFromFtpReply } from '../status-map.js';
import { download } from './download.js';
import { checkPath, failure, isReply, replyResponse } from './errors.js';
import { head } from './head.js';
import { toEntries } from './listing.js';
import { type FtpClientOptions, type ResolvedFtpClientOptions, resolveClientOptions } from './options.js';
import { ConnectionPool, type Lease } from './pool.js';
import { ProtectedClient } from './protected-client.js';
import { resumePoint } from './resume.js';
import { traceControl } from './trace.js';
import { upload } from './upload.js';

/**
 * The FTP client side: a {@link Connector} turning Parley requests into FTP commands over a
 * small pool of logged-in control connections.
 *
 * GET is RETR (streamed), PUT is STOR (MKD for a path ending in `/`), POST is APPE, DELETE is
 * DELE (RMD for a path ending in `/`), LIST is MLSD (LIST on servers without it), HEAD is
 * MLST (SIZE and MDTM on servers without it) and MOVE is RNFR then RNTO. Negative replies come back as responses with the
 * status of `statusFromFtpReply`, a refused login too (`530` is `unauthenticated`).
 */
export function connectFtp(url: URL, options: FtpClientOptions, trace?: Trace): Connector {
  const resolved = resolveClientOptions(url, options);
  const access = accessOptions(url, resolved);
  const pool = new ConnectionPool(
    (signal) => login(access, resolved.timeoutMs, signal, trace),
    resolved.poolSize,
    resolved.idleTimeoutMs,
  );
  return {
    send: (request) => send(pool, request),
    close: () => pool.close(),
  };
}

function accessOptions(url: URL, options: ResolvedFtpClientOptions): AccessOptions {
  let credentials: ReturnType<typeof credentialsOf>;
  try {
    credentials = credentialsOf(url);
  } catch (error) {
    throw new ParleyError('bad_request', 'The user name or password of the URL is badly encoded', {
      cause: error,
    });
  }
  return {
    host: hostOf(url),
    port: portOf(url, 21),
    user: credentials?.username ?? 'anonymous',
    password: credentials?.password ?? 'anonymous@',
    secure: options.secure,
    secureOptions: options.tls,
  };
}

/** Opens one control connection and logs in; closes it if `signal` aborts meanwhile. */
async function login(
  access: AccessOptions,
  timeoutMs: number,
  signal: AbortSignal,
  trace: Trace | undefined,
): Promise<BasicClient> {
  const client = new ProtectedClient(timeoutMs);
  if (trace !== undefined) traceControl(client, trace);
  const abort = (): void => client.close();
  signal.addEventListener('abort', abort, { once: true });
  try {
    await client.access(access);
    return client;
  } catch (error) {
    client.close();
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

async function send(pool: ConnectionPool, request: Request): Promise<Response> {
  checkPath(request.path);
  refuseQuery(request, 'FTP');
  const { signal } = request;
  if (signal.aborted) throw abortError(signal);
  let lease: Lease;
  try {
    lease = await pool.acquire(signal);
  } catch (error) {
    await request.body.cancel();
    if (isReply(error) && !signal.aborted) return replyResponse(error);
    throw failure(error, signal);
  }
  if (request.method === 'GET') return get(lease, request);
  const abandon = (): void => lease.release(false);
  signal.addEventListener('abort', abandon, { once: true });
  try {
    const response = await exchange(lease.ftp, request);
    lease.release(true);
    return response;
  } catch (error) {
    const answered = isReply(error) && !signal.aborted;
    lease.release(answered);
    if (answered) return replyResponse(error);
    throw failure(error, signal);
  } finally {
    signal.removeEventListener('abort', abandon);
    await request.body.cancel();
  }
}

/** GET as RETR, after `REST` when the request asks for the rest of a file (see {@link resumePoint}). */
async function get(lease: Lease, request: Request): Promise<Response> {
  const { path, signal } = request;
  const range = request.headers.get('range');
  if (range === undefined) return download(lease, path, signal);
  let point: Awaited<ReturnType<typeof resumePoint>>;
  try {
    point = await resumePoint(lease.ftp, path, range);
  } catch (error) {
    const answered = isReply(error) && !signal.aborted;
    lease.release(answered);
    if (answered) return replyResponse(error);
    throw failure(error, signal);
  }
  if (point === undefined || 'offset' in point) return download(lease, path, signal, point);
  lease.release(true);
  return point;
}

/** Runs one request other than GET on a logged-in connection. Negative replies throw `FTPError`. */
async function exchange(client: BasicClient, request: Request): Promise<Response> {
  const { path } = request;
  const collection = path.endsWith('/');
  switch (request.method) {
    case 'PUT':
      return collection ? command(client, `MKD ${path}`) : store(client, 'STOR', request);
    case 'POST':
      return store(client, 'APPE', request);
    case 'DELETE':
      return command(client, `${collection ? 'RMD' : 'DELE'} ${path}`);
    case 'LIST':
      return list(client, path);
    case 'HEAD':
      return head(client, path);
    case 'MOVE':
      if (!moveOverwrites(request))
        throw new ParleyError(
          'unsupported',
          'FTP cannot carry a MOVE with overwrite F: RNTO replaces its target',
        );
      return move(client, path, moveDestination(request));
    default:
      throw new ParleyError('unsupported', `FTP does not carry ${request.method}`);
  }
}

/**
 * `LIST` is MLSD, or LIST on servers without it (or that refused MLSD for this path). A LIST of a
 * file answers with the file's own line, and some servers (vsftpd) answer one of a missing folder
 * with an empty listing, so a listing that came from LIST is checked with `CWD`, as curl changes
 * into the folder it lists: a path that is no folder is its 550, thrown.
 */
async function list(client: BasicClient, path: string): Promise<Response> {
  const entries = toEntries(await client.list(path));
  if (client.availableListCommands[0] !== 'MLSD') await client.cd(path);
  return respondListing(entries);
}

async function command(client: BasicClient, line: string): Promise<Response> {
  const reply = await client.send(line);
  return respond(statusFromFtpReply(reply.code, reply.message));
}

/** `MOVE` is `RNFR` then `RNTO`: the server renames in one step. */
async function move(client: BasicClient, from: string, to: string): Promise<Response> {
  checkPath(to);
  const reply = await client.rename(from, to);
  return respond(statusFromFtpReply(reply.code, reply.message));
}

async function store(client: BasicClient, verb: 'STOR' | 'APPE', request: Request): Promise<Response> {
  // A body that fills buffers it is given (a file) is written from a few reused ones.
  const filler = request.body.filler();
  const source: Readable | undefined = filler === undefined ? request.body.stream() : undefined;
  try {
    const reply = await upload(client, verb, request.path, filler ?? (source as Readable));
    return respond(statusFromFtpReply(reply.code, reply.message));
  } finally {
    if (source !== undefined && !source.readableEnded) source.destroy();
  }
}
