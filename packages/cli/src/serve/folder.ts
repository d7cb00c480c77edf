import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  Body,
  type CurrentVersion,
  contentRange,
  type Entry,
  failedPrecondition,
  failedReadPrecondition,
  type Handler,
  HeaderMap,
  moveDestination,
  moveOverwrites,
  normalizePath,
  ParleyError,
  type Request,
  type Response,
  requestedRange,
  respond,
  respondListing,
} from '@parley/core';
import { checkNumbers } from '@parley/core/transport';
import { indexPage } from './index-page.js';
import { ListingBudget } from './listing-budget.js';
import { isHiddenName, type Precondition, SafeFolder } from './safe-fs.js';
import { Turns } from './turns.js';

/** Options of {@link folderService}. */
export interface FolderServiceOptions {
  /** Allow PUT, POST, MOVE and DELETE. Default: false (they are answered `forbidden`). */
  readonly write?: boolean | undefined;
  /**
   * The most entries one listing holds; a folder holding more is answered `too_large`, never
   * listed in part. Default: {@link DEFAULT_MAX_LISTED_ENTRIES}.
   */
  readonly maxListedEntries?: number | undefined;
  /**
   * The most folder listings read at once; further ones wait for a turn. Reading a folder of many
   * entries describes each (one `lstat` apiece) and holds them all: unbounded, requests listing
   * a large folder side by side would take the memory and the threads file reads need.
   * Default: {@link DEFAULT_MAX_CONCURRENT_LISTINGS}.
   */
  readonly maxConcurrentListings?: number | undefined;
  /**
   * The most bytes of listings made and not yet sent, across all requests (a client that asks
   * for listings and does not read them makes each wait whole in memory); further listings are
   * answered `unavailable` until some are sent. One listing larger than this is still sent
   * alone. Default: {@link DEFAULT_MAX_UNSENT_LISTING_BYTES}.
   */
  readonly maxUnsentListingBytes?: number | undefined;
}

/** The most bytes of listings waiting to be sent, by default: 64 MiB. */
export const DEFAULT_MAX_UNSENT_LISTING_BYTES = 64 * 1024 * 1024;

/** How many folder listings are read at once by default. */
export const DEFAULT_MAX_CONCURRENT_LISTINGS = 2;

/** The most entries one listing holds by default: memory for a listing stays bounded. */
export const DEFAULT_MAX_LISTED_ENTRIES = 100_000;

/** The type of HTML pages: a folder's index. */
const HTML = 'text/html; charset=utf-8';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.pdf': 'application/pdf',
  '.eml': 'message/rfc822',
};

/**
 * A Parley handler serving a folder: GET and HEAD read files, LIST (or GET of a folder) lists
 * (an HTML page when the request accepts `text/html`, else Parley's JSON listing), and with
 * `write`: PUT replaces a file (or makes a folder, for a path ending in `/`), POST appends to a
 * file (or, to a folder, adds a new `.eml` file: a mail over SMTP), MOVE renames a file or a
 * folder (FTP RNFR/RNTO), DELETE removes a file or an empty folder (a path ending in `/` a folder only; over FTP, DELE a file only). See {@link SafeFolder} for what keeps it inside the folder.
 */
export function folderService(root: string, options: FolderServiceOptions = {}): Handler {
  checkNumbers('parley serve', options, { maxConcurrentListings: 'count', maxUnsentListingBytes: 'amount' });
  const folder = new SafeFolder(root);
  const write = options.write ?? false;
  const maxEntries = options.maxListedEntries ?? DEFAULT_MAX_LISTED_ENTRIES;
  const listings = new Turns(options.maxConcurrentListings ?? DEFAULT_MAX_CONCURRENT_LISTINGS);
  const unsent = new ListingBudget(options.maxUnsentListingBytes ?? DEFAULT_MAX_UNSENT_LISTING_BYTES);
  return async (request) => {
    try {
      // The transport already split any query off: a `?` left in the path is part of a name.
      const path = normalizePath(request.path);
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'LIST') {
        return await read(folder, request, path, { maxEntries, listings, unsent, write });
      }
      if (!write) {
        await request.body.cancel();
        return respond('forbidden', 'This folder is served read-only (parley serve --write allows changes)');
      }
      return await change(folder, request, path);
    } catch (error) {
      throw fileError(error);
    }
  };
}

/** How folders are read: the most entries listed, the turns of listings, and whether uploads are allowed. */
interface ReadSettings {
  readonly maxEntries: number;
  readonly listings: Turns;
  readonly unsent: ListingBudget;
  readonly write: boolean;
}

async function read(
  folder: SafeFolder,
  request: Request,
  path: string,
  settings: ReadSettings,
): Promise<Response> {
  const { maxEntries, listings, unsent, write } = settings;
  const { file, stat } = await folder.resolve(path);
  if (stat === undefined) return respond('not_found', `No such file: ${path}`);
  if (stat.isDirectory()) {
    // FTP's RETR is a GET of a file: a folder named without its `/` is no file to send.
    if (request.method === 'GET' && request.peer.protocol === 'ftp' && !path.endsWith('/'))
      return respond('not_found', `Not a file: ${path} is a folder`);
    const html = request.headers.get('accept')?.includes('text/html') ?? false;
    // HEAD gives GET's type; no length, which FTP would take for a file's size (SIZE, MLST).
    if (request.method === 'HEAD')
      return respond('ok', null, { 'content-type': html ? HTML : 'application/json' });
    const listing = await listings.run(async () => {
      const found = await listFolder(file, maxEntries);
      // Rendered within the turn: the entries are let go before the next listing is read.
      if (found === undefined) return undefined;
      return html
        ? respond('ok', indexPage(path, found.entries, found.leftOut), { 'content-type': HTML })
        : respondListing(found.entries, found.leftOut);
    }, request.signal);
    if (listing === undefined)
      return respond('too_large', `${path} holds more than ${maxEntries} entries: too many to list at once`);
    const body = unsent.hold(await listing.body.bytes(), request.signal);
    if (body === undefined)
      return respond('unavailable', 'Too many listings wait to be sent: try again once they are read');
    return respond('ok', body, listing.headers.toObject());
  }
  if (request.method === 'LIST') return respond('not_found', `Not a folder: ${path}`);
  // A FIFO, a socket or a device: opening one could block, reading one might never end.
  if (!stat.isFile()) return respond('not_found', `Not a file: ${path} is no regular file`);
  if (request.method === 'HEAD') {
    const failed = failedReadPrecondition(request.headers, versionOf(stat));
    if (failed !== undefined) return respond('precondition_failed', `Not sent: ${failed}`);
    return respond('ok', null, fileHeaders(file, stat, write));
  }
  // Described as opened: an upload may have renamed another version over it since `resolve`.
  const opened = await folder.open(file);
  // If-Match names the version wanted (RFC 9110, 13.1.1): another one is not sent.
  const failed = failedReadPrecondition(request.headers, versionOf(opened.stat));
  if (failed !== undefined) {
    // Reading nothing closes the file.
    opened.read(0, -1).destroy();
    return respond('precondition_failed', `Not sent: ${failed}`);
  }
  const size = opened.stat.size;
  const headers = fileHeaders(file, opened.stat, write);
  // A part asked for (HTTP's Range, FTP's REST) is read from its offset, not from the start.
  const range = requestedRange(request.headers, new HeaderMap(headers), size);
  if (range === undefined || range === 'unsatisfiable')
    return respond('ok', Body.from(opened.read(0, size - 1), size), headers);
  const length = range.end - range.start + 1;
  return respond('ok', Body.from(opened.read(range.start, range.end), length), {
    ...headers,
    'content-length': String(length),
    'content-range': contentRange(size, range),
  });
}

/** The header fields of a served file: its type, length and validators, and the guards. */
function fileHeaders(file: string, stat: Stats, write: boolean): Record<string, string> {
  return {
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': String(stat.size),
    'last-modified': stat.mtime.toUTCString(),
    etag: entityTag(stat),
    'accept-ranges': 'bytes',
    ...servedFileGuards(write),
  };
}

/** A file's entity tag: its change time and size, as nginx makes it; a new version gets a new tag. */
function entityTag(stat: Stats): string {
  return `"${Math.floor(stat.mtimeMs).toString(16)}-${stat.size.toString(16)}"`;
}

/**
 * The conditions a change request puts on its target (`If-Match`, `If-None-Match`,
 * `If-Unmodified-Since`), checked once the change holds the target's turn: a client that read a
 * version does not overwrite, delete or move another writer's newer one. `undefined` when the
 * request has none.
 */
function preconditionOf(request: Request): Precondition | undefined {
  const fields = request.headers;
  if (!fields.has('if-match') && !fields.has('if-none-match') && !fields.has('if-unmodified-since'))
    return undefined;
  return (stat) => failedPrecondition(fields, stat && versionOf(stat));
}

/** A file's validators, as the conditions of a request compare them. */
function versionOf(stat: Stats): CurrentVersion {
  return { etag: entityTag(stat), lastModified: stat.mtime };
}

/**
 * Header fields that keep a served file from acting as a page of this server's origin: a browser
 * never guesses a type the file does not announce (`nosniff`), and where uploads are allowed, a
 * page or SVG anyone with the login uploaded opens in a sandbox with no scripts and no access to
 * the origin, so it cannot make changes with a visitor's saved login.
 */
function servedFileGuards(write: boolean): Record<string, string> {
  return write
    ? { 'x-content-type-options': 'nosniff', 'content-security-policy': 'sandbox' }
    : { 'x-content-type-options': 'nosniff' };
}

/** The entries of a folder, and how many were left out for their names. */
interface Listing {
  readonly entries: Entry[];
  readonly leftOut: number;
}

/**
 * The files and folders of a folder (symbolic links and temporary files left out), but only
 * those a request path can name: a name that is not UTF-8, or holds a character core refuses
 * in paths (a control, bidirectional or invisible one), could never be read and is counted
 * in `leftOut` instead. `undefined` when there are more than `max` entries to list: the folder
 * is read one entry at a time, so it stops there.
 */
async function listFolder(dir: string, max: number): Promise<Listing | undefined> {
  const entries: Entry[] = [];
  let leftOut = 0;
  // Names as bytes: a name that is not UTF-8 must not pass for the one it decodes to.
  for await (const dirent of await opendir(dir, { encoding: 'buffer' as BufferEncoding })) {
    const bytes = dirent.name as unknown as Buffer;
    const name = bytes.toString('utf8');
    if (isHiddenName(name)) continue;
    if (!isServable(name, bytes)) {
      leftOut++;
      continue;
    }
    const stat = await lstat(join(dir, name)).catch(() => undefined);
    if (stat === undefined || (!stat.isFile() && !stat.isDirectory())) continue;
    const type = stat.isDirectory() ? 'directory' : 'file';
    if (entries.length === max) return undefined;
    entries.push({
      name,
      type,
      size: type === 'file' ? stat.size : undefined,
      modified: stat.mtime.toISOString(),
    });
  }
  return { entries: entries.sort((a, b) => a.name.localeCompare(b.name)), leftOut };
}

/** Whether a name read from disk as `bytes` is UTF-8 and a path segment core accepts. */
function isServable(name: string, bytes: Buffer): boolean {
  if (!Buffer.from(name, 'utf8').equals(bytes)) return false;
  try {
    normalizePath(name);
    return true;
  } catch {
    return false;
  }
}

async function change(folder: SafeFolder, request: Request, path: string): Promise<Response> {
  try {
    if (request.method === 'DELETE') return await remove(folder, request, path);
    if (request.method === 'MOVE') return await move(folder, request, path);
    if (request.method === 'PUT' && path.endsWith('/')) return await makeFolder(folder, request, path);
    return await store(folder, request, path);
  } finally {
    await request.body.cancel();
  }
}

/**
 * A PUT of a path ending in `/` (FTP's MKD) makes the folder. It takes no content: a body with
 * any byte is refused (`bad_request`) rather than answered `created` with its bytes thrown away.
 */
async function makeFolder(folder: SafeFolder, request: Request, path: string): Promise<Response> {
  try {
    await request.body.bytes({ limit: 0 });
  } catch (error) {
    if (ParleyError.from(error).status !== 'too_large') throw error;
    return respond(
      'bad_request',
      `${path} names a folder (it ends in /) and takes no content: upload the file without the trailing /`,
    );
  }
  await folder.makeParents(`${path}x`);
  return respond('created');
}

async function remove(folder: SafeFolder, request: Request, path: string): Promise<Response> {
  const { file, stat } = await folder.resolve(path);
  if (stat === undefined) return respond('not_found', `No such file: ${path}`);
  if (path === '/') return respond('forbidden', 'The served folder itself cannot be deleted');
  // A path ending in `/` names a folder (FTP's RMD): never a file of that name.
  if (path.endsWith('/') && !stat.isDirectory()) return respond('not_found', `Not a folder: ${path}`);
  // FTP's DELE removes files; folders go with RMD.
  if (request.peer.protocol === 'ftp' && !path.endsWith('/') && stat.isDirectory())
    return respond('not_found', `Not a file: ${path} is a folder (RMD removes folders)`);
  try {
    await folder.remove(file, stat, preconditionOf(request));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTEMPTY')
      return respond('conflict', `${path} is not empty`);
    throw error;
  }
  return respond('no_content');
}

async function move(folder: SafeFolder, request: Request, path: string): Promise<Response> {
  const to = moveDestination(request);
  const overwrite = moveOverwrites(request);
  if (path === '/') return respond('forbidden', 'The served folder itself cannot be moved');
  const { file, stat } = await folder.resolve(path);
  if (stat === undefined) return respond('not_found', `No such file: ${path}`);
  const from = path.replace(/\/$/, '');
  if (stat.isDirectory() && `${to}/`.startsWith(`${from}/`))
    return respond('conflict', `${path} cannot be moved into itself`);
  await folder.makeParents(to);
  const target = await folder.resolve(to);
  if (target.stat?.isDirectory()) return respond('conflict', `${to} is a folder`);
  if (target.stat !== undefined && stat.isDirectory()) return respond('conflict', `${to} is a file`);
  if (target.stat !== undefined && !overwrite)
    return respond('precondition_failed', `${to} exists and the MOVE may not replace it (overwrite: F)`);
  const replaced = await folder.move(file, target.file, overwrite, preconditionOf(request));
  return respond(replaced ? 'ok' : 'created', null, { location: urlPath(to) });
}

async function store(folder: SafeFolder, request: Request, path: string): Promise<Response> {
  await folder.makeParents(path);
  let { file, stat } = await folder.resolve(path);
  let target = path;
  const precondition = preconditionOf(request);
  if (request.method === 'POST' && stat?.isDirectory()) {
    // The conditions are on the folder named, which the new mail file joins.
    const reason = precondition?.(stat);
    if (reason !== undefined) return respond('precondition_failed', `Not changed: ${reason}`);
    target = `${path.replace(/\/$/, '')}/${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`;
    ({ file, stat } = await folder.resolve(target));
  }
  if (stat?.isDirectory()) return respond('conflict', `${path} is a folder`);
  // A FIFO, a socket or a device: appending would read it (it may block or never end).
  if (stat !== undefined && !stat.isFile()) return respond('conflict', `${target} is no regular file`);
  const body = target !== path && request.peer.protocol === 'smtp' ? mailFile(request) : request.body;
  const existed = await folder.write(
    file,
    body,
    request.method === 'POST',
    request.signal,
    target === path ? precondition : undefined,
  );
  const headers = target === path ? undefined : { location: urlPath(target) };
  return respond(existed ? 'ok' : 'created', null, headers);
}

/**
 * A path as the `location` field holds it: each segment percent-encoded, so a name outside
 * ASCII, with a space, a `?` or a `#` is carried by HTTP and names that file again.
 */
function urlPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * The `.eml` file of a mail: its header fields (which the SMTP transport hands over as the
 * request's, the body being what follows them) put back before the body, so the file is a mail
 * again, with its subject, sender and MIME boundary.
 */
function mailFile(request: Request): Body {
  let head = '';
  for (const [name, value] of request.headers) head += `${name}: ${value.replace(/[\r\n]+/g, ' ')}\r\n`;
  async function* message(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(`${head}\r\n`);
    yield* request.body;
  }
  return Body.from(message());
}

/** Turns the errors of file operations into Parley statuses. */
function fileError(error: unknown): ParleyError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ParleyError('not_found', 'No such file');
  if (code === 'EACCES' || code === 'EPERM' || code === 'ELOOP')
    return new ParleyError('forbidden', 'Not allowed');
  if (code === 'EROFS') return new ParleyError('forbidden', 'The folder is on a read-only file system');
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new ParleyError('insufficient_storage', 'The disk is full');
  if (code === 'ENAMETOOLONG')
    return new ParleyError('bad_request', 'A name is too long for the file system');
  return ParleyError.from(error);
}
