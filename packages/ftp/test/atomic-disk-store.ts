import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Body, type Handler, respond, respondListing } from '@parley/core';

/** Files in a temporary directory, written all or nothing: to a temporary file, renamed on success. */
export interface AtomicDiskStore {
  /** Answers GET, HEAD, PUT and LIST on the files of the directory (flat, no subdirectories). */
  readonly handle: Handler;
  /** The directory. */
  readonly dir: string;
  /** Uploads being written now. */
  readonly writing: () => number;
  /** Bytes received so far by the uploads to each name under way. */
  readonly received: Map<string, number>;
  /** Every upload's outcome, in order: `created`, `replaced` or the error's message. */
  readonly outcomes: { name: string; outcome: string }[];
  /** Removes the directory. */
  remove(): Promise<void>;
}

const TEMP = '.upload-';

/** Opens a fresh store in a new temporary directory. */
export async function openAtomicDiskStore(): Promise<AtomicDiskStore> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-ftp-'));
  const received = new Map<string, number>();
  const outcomes: { name: string; outcome: string }[] = [];
  let writing = 0;
  const fileOf = (path: string): string => join(dir, path.slice(1));
  const exists = (file: string) =>
    stat(file).then(
      (info) => info.isFile(),
      () => false,
    );

  async function write(name: string, body: Body): Promise<boolean> {
    const target = fileOf(name);
    const temp = join(dir, `${TEMP}${randomUUID()}`);
    writing++;
    received.set(name, 0);
    try {
      const existed = await exists(target);
      const counted = body.stream();
      counted.on('data', (chunk: Buffer) => received.set(name, (received.get(name) ?? 0) + chunk.byteLength));
      await pipeline(counted, createWriteStream(temp));
      await rename(temp, target);
      outcomes.push({ name, outcome: existed ? 'replaced' : 'created' });
      return existed;
    } catch (error) {
      outcomes.push({ name, outcome: (error as Error).message });
      throw error;
    } finally {
      await rm(temp, { force: true });
      received.delete(name);
      writing--;
    }
  }

  const handle: Handler = async (request) => {
    const { path, method } = request;
    if (path === '/' && method === 'LIST') {
      const names = (await readdir(dir)).filter((name) => !name.startsWith(TEMP));
      return respondListing(names.map((name) => ({ name, type: 'file' as const })));
    }
    if (path.endsWith('/') || path.slice(1).includes('/')) return respond('not_found');
    const file = fileOf(path);
    switch (method) {
      case 'PUT':
        return respond((await write(path, request.body)) ? 'ok' : 'created');
      case 'GET':
      case 'HEAD': {
        const info = await stat(file).catch(() => undefined);
        if (info === undefined) return respond('not_found');
        const headers = { 'content-length': String(info.size), 'last-modified': info.mtime.toUTCString() };
        if (method === 'HEAD') return respond('ok', undefined, headers);
        return respond('ok', Body.from(createReadStream(file), info.size), headers);
      }
      default:
        return respond('method_not_allowed');
    }
  };
  return {
    handle,
    dir,
    writing: () => writing,
    received,
    outcomes,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
