/**
 * The Parley service the FTP benchmark serves: files in one directory on disk, streamed both
 * ways (GET, HEAD, PUT, POST append, DELETE, LIST), never held whole in memory.
 */
import { createReadStream, writeSync } from 'node:fs';
import { open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  Body,
  createRouter,
  type Request,
  type Response,
  type RoutedRequest,
  type Router,
  respond,
  respondListing,
} from '@parley/core';

/**
 * Read size of the file streams (`highWaterMark`). Downloads do not depend on it: the FTP
 * transport reads a `createReadStream` body's file itself, into buffers it sizes by how many
 * downloads run (1 MiB for one alone, as the best bare pipe; 64 KiB each for 100 at once, within 4 MiB).
 */
const READ_BYTES = 64 * 1024;
/**
 * Write buffer of the file streams (`highWaterMark`, 1 MiB, as the bare pipe's best chunk size):
 * chunks that arrive while a write is under way queue up to it and go out in one `writev`, so
 * an upload makes few, large writes (each costs a hand-over to the thread pool). The bytes
 * written are the same as pyftpdlib's: the file truncated, written in order, closed, no fsync.
 */
const WRITE_BYTES = 1024 * 1024;

/** A router serving the files under `root` (paths are normalised by Parley, so they stay inside). */
export function diskStore(root: string): Router {
  const file = (request: RoutedRequest<'/*'>): string => join(root, request.params['*']);
  return createRouter()
    .get('/*', (request) => read(file(request)))
    .head('/*', async (request) => {
      const info = await stat(file(request)).catch(() => undefined);
      if (!info?.isFile()) return respond('not_found');
      return respond('ok', undefined, {
        'content-length': String(info.size),
        'last-modified': info.mtime.toUTCString(),
      });
    })
    .put('/*', (request) => write(request, file(request), 'w'))
    .post('/*', (request) => write(request, file(request), 'a'))
    .delete('/*', async (request) => {
      const removed = await unlink(file(request)).then(
        () => true,
        () => false,
      );
      return respond(removed ? 'ok' : 'not_found');
    })
    .list('/*', async (request) => {
      const names = await readdir(file(request)).catch(() => undefined);
      if (names === undefined) return respond('not_found');
      const entries = await Promise.all(
        names.map(async (name) => {
          const info = await stat(join(file(request), name));
          const type = info.isDirectory() ? ('directory' as const) : ('file' as const);
          return { name, type, size: info.size, modified: info.mtime.toISOString() };
        }),
      );
      return respondListing(entries);
    });
}

async function read(path: string): Promise<Response> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return respond('not_found');
  const body = Body.from(createReadStream(path, { highWaterMark: READ_BYTES }), info.size);
  return respond('ok', body, { 'content-length': String(info.size) });
}

/**
 * Stores an upload. Where the transport lends its reads (`Body.lend`: FTP's plain data
 * connections read into one reused buffer), each is written synchronously before the next, the
 * way pyftpdlib writes (no buffer per read, no hand-over to the thread pool), and the file is
 * closed as soon as the last byte is in, while the server waits to confirm the upload complete
 * (closing a rewritten file starts its write-back on ext4, tens of milliseconds for 256 MiB,
 * which pyftpdlib also pays before its 226); otherwise the body is streamed to the file. This
 * store writes in place, as pyftpdlib does: an upload that fails leaves what arrived of it.
 */
async function write(request: Request, path: string, flags: 'w' | 'a'): Promise<Response> {
  const file = await open(path, flags);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= file.close().catch(() => {});
    return closing;
  };
  try {
    const lent = request.body.lend(
      (chunk) => {
        for (let done = 0; done < chunk.byteLength; ) done += writeSync(file.fd, chunk, done);
      },
      () => void close(),
    );
    if (lent !== undefined) await lent;
    else
      await pipeline(
        request.body.stream(),
        file.createWriteStream({ highWaterMark: WRITE_BYTES, autoClose: false }),
      );
  } finally {
    await close();
  }
  return respond('ok');
}
