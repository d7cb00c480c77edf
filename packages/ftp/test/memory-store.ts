import {
  type Entry,
  type Handler,
  moveDestination,
  type Request,
  type Response,
  respond,
  respondListing,
} from '@parley/core';

/** A stored file. */
export interface StoredFile {
  bytes: Buffer;
  modified: Date;
}

/** A small in-memory file store served over FTP in the tests: files and directories. */
export interface MemoryStore {
  /** Answers requests: GET/HEAD/PUT/POST/DELETE/MOVE on files, LIST/PUT/DELETE on directories. */
  readonly handle: Handler;
  /** Files by path. */
  readonly files: Map<string, StoredFile>;
  /** Directory paths (ending in `/`); `/` always exists. */
  readonly directories: Set<string>;
  /** Every request seen, in order. */
  readonly seen: Request[];
  /** Whether `range` request headers are honoured (else the server skips bytes itself). */
  honourRange: boolean;
}

/** Builds an empty store. */
export function createMemoryStore(): MemoryStore {
  const files = new Map<string, StoredFile>();
  const directories = new Set<string>(['/']);
  const seen: Request[] = [];
  const parentOf = (path: string): string => path.slice(0, path.lastIndexOf('/', path.length - 2) + 1);
  const store: MemoryStore = {
    files,
    directories,
    seen,
    honourRange: false,
    async handle(request) {
      seen.push(request);
      const { path } = request;
      if (path.startsWith('/private/')) return respond('forbidden', 'read-only area');
      if (path.endsWith('/')) return directory(request, path);
      if (!directories.has(parentOf(path))) return respond('not_found', `no directory ${parentOf(path)}`);
      return file(request, path);
    },
  };

  async function directory(request: Request, path: string): Promise<Response> {
    switch (request.method) {
      case 'LIST': {
        if (!directories.has(path)) return respond('not_found', `no directory ${path}`);
        const entries: Entry[] = [];
        for (const dir of directories) {
          if (dir !== path && parentOf(dir) === path)
            entries.push({ name: dir.slice(path.length, -1), type: 'directory' });
        }
        for (const [name, stored] of files) {
          if (parentOf(name) !== path) continue;
          const entry = {
            name: name.slice(path.length),
            type: 'file' as const,
            size: stored.bytes.byteLength,
          };
          entries.push({ ...entry, modified: stored.modified.toISOString() });
        }
        return respondListing(entries);
      }
      case 'PUT':
        if (directories.has(path)) return respond('conflict', 'directory exists');
        if (!directories.has(parentOf(path))) return respond('not_found', 'no parent directory');
        directories.add(path);
        return respond('created');
      case 'DELETE':
        if (!directories.has(path) || path === '/') return respond('not_found', `no directory ${path}`);
        for (const name of [...files.keys(), ...directories]) {
          if (name !== path && name.startsWith(path)) return respond('conflict', 'directory not empty');
        }
        directories.delete(path);
        return respond('ok');
      default:
        return respond('method_not_allowed', 'not on a directory');
    }
  }

  async function file(request: Request, path: string): Promise<Response> {
    const stored = files.get(path);
    switch (request.method) {
      case 'GET':
      case 'HEAD': {
        if (stored === undefined) return respond('not_found', `${path} does not exist`);
        const headers = {
          'content-length': stored.bytes.byteLength,
          'last-modified': stored.modified.toUTCString(),
        };
        if (request.method === 'HEAD') return respond('ok', undefined, headers);
        const range = /^bytes=(\d+)-$/.exec(request.headers.get('range') ?? '');
        if (store.honourRange && range !== null) {
          const start = Number(range[1]);
          return respond('ok', stored.bytes.subarray(start), { 'content-range': `bytes ${start}-` });
        }
        return respond('ok', stored.bytes, headers);
      }
      case 'PUT':
      case 'POST': {
        const chunks: Buffer[] = [];
        for await (const chunk of request.body) chunks.push(Buffer.from(chunk));
        const before = request.method === 'POST' ? (stored?.bytes ?? Buffer.alloc(0)) : Buffer.alloc(0);
        files.set(path, { bytes: Buffer.concat([before, ...chunks]), modified: new Date() });
        return respond(stored === undefined ? 'created' : 'ok');
      }
      case 'DELETE':
        return files.delete(path) ? respond('ok') : respond('not_found', `${path} does not exist`);
      case 'MOVE': {
        const to = moveDestination(request);
        if (stored === undefined) return respond('not_found', `${path} does not exist`);
        if (!directories.has(parentOf(to))) return respond('not_found', `no directory ${parentOf(to)}`);
        files.delete(path);
        files.set(to, stored);
        return respond('ok');
      }
      default:
        return respond('method_not_allowed', 'not on a file');
    }
  }
  return store;
}
