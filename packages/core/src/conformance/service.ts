import { createHash } from 'node:crypto';
import { respondListing } from '../listing.js';
import type { Method } from '../method.js';
import { moveDestination } from '../move.js';
import { compilePattern } from '../path.js';
import { type CurrentVersion, failedPrecondition } from '../preconditions.js';
import type { Request } from '../request.js';
import { respond } from '../response.js';
import { createRouter, type Router } from '../router.js';
import { isStatus } from '../status.js';

/** What the kit's service saw of one request, for transports whose replies carry no body. */
export interface Seen {
  /** The request's method. */
  readonly method: Method;
  /** The request's path. */
  readonly path: string;
  /** The request's header fields. */
  readonly headers: Record<string, string>;
  /** The authenticated user's name, if any. */
  readonly principal: string | undefined;
  /** The body's length in bytes. */
  readonly size: number;
  /** The body's SHA-256, in hex. */
  readonly sha256: string;
}

/** The service every conformance run serves: a small file store plus probes. */
export interface KitService {
  /** The router to serve. */
  readonly router: Router;
  /** Stored files by name. */
  readonly files: Map<string, Buffer>;
  /** Every request the service saw, in order. */
  readonly seen: Seen[];
}

/**
 * Builds the kit's service: `/store/:name` files (`MOVE` renames one), `/status/:status`, `/slow/:ms`, `/whoami`, `/headers`.
 *
 * @example
 * ```ts
 * const server = createServer(createKitService().router);
 * const listener = await server.listen(http('http://127.0.0.1:0'));
 * ```
 */
export function createKitService(): KitService {
  const files = new Map<string, Buffer>();
  const seen: Seen[] = [];
  const record = async (request: Request): Promise<Buffer> => {
    const chunks: Uint8Array[] = [];
    for await (const chunk of request.body) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    seen.push({
      method: request.method,
      path: request.path,
      headers: request.headers.toObject(),
      principal: request.peer.principal?.name,
      size: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    return bytes;
  };
  const statusProbe = async (request: Request) => {
    await record(request);
    const status = request.params.status;
    return isStatus(status) ? respond(status, `status ${status}`) : respond('bad_request', 'unknown status');
  };
  const slow = async (request: Request) => {
    await record(request);
    await waitFor(Number(request.params.ms), request.signal);
    return respond('ok', 'slow done');
  };
  const whoami = async (request: Request) => {
    await record(request);
    return respond('ok', request.peer.principal?.name ?? 'anonymous');
  };
  const headers = async (request: Request) => {
    await record(request);
    return respond('ok', 'headers', { 'x-echo': request.headers.get('x-parley-test') ?? 'none' });
  };
  const router = createRouter()
    .put('/store/:name', async (request) => {
      const stored = files.get(request.params.name);
      const bytes = await record(request);
      // The conditions of the request (If-Match, If-None-Match) on the file as it is.
      const failed = failedPrecondition(request.headers, stored && versionOf(stored));
      if (failed !== undefined) return respond('precondition_failed', failed);
      files.set(request.params.name, bytes);
      return respond(stored === undefined ? 'created' : 'ok');
    })
    .post('/store/:name', async (request) => {
      const bytes = await record(request);
      files.set(
        request.params.name,
        Buffer.concat([files.get(request.params.name) ?? Buffer.alloc(0), bytes]),
      );
      return respond('ok');
    })
    .get('/store/:name', async (request) => {
      await record(request);
      const file = files.get(request.params.name);
      if (file === undefined) return respond('not_found', `${request.params.name} does not exist`);
      return respond('ok', file, { 'content-length': String(file.byteLength) });
    })
    .delete('/store/:name', async (request) => {
      await record(request);
      return files.delete(request.params.name)
        ? respond('ok')
        : respond('not_found', `${request.params.name} does not exist`);
    })
    .move('/store/:name', async (request) => {
      await record(request);
      const target = STORE_FILE.match(moveDestination(request))?.name;
      if (target === undefined) return respond('bad_request', 'A MOVE stays within /store/');
      const file = files.get(request.params.name);
      if (file === undefined) return respond('not_found', `${request.params.name} does not exist`);
      files.delete(request.params.name);
      files.set(target, file);
      return respond('ok');
    })
    .list('/store/', async (request) => {
      await record(request);
      return respondListing(
        [...files].map(([file, bytes]) => ({ name: file, type: 'file', size: bytes.length })),
      );
    })
    .get('/status/:status', statusProbe)
    .post('/status/:status', statusProbe)
    .get('/slow/:ms', slow)
    .post('/slow/:ms', slow)
    .get('/whoami', whoami)
    .post('/whoami', whoami)
    .get('/headers', headers)
    .post('/headers', headers);
  return { router, files, seen };
}

const STORE_FILE = compilePattern('/store/:name');

/** A stored file's validators: its SHA-256 as its entity tag. */
function versionOf(bytes: Buffer): CurrentVersion {
  return { etag: `"${createHash('sha256').update(bytes).digest('hex')}"`, lastModified: new Date(0) };
}

function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
