import {
  Body,
  compilePattern,
  createRouter,
  failedReadPrecondition,
  type Handler,
  moveDestination,
  moveOverwrites,
  ParleyError,
  type Request,
  type Response,
  type Router,
  respond,
  respondJson,
  respondListing,
  type Status,
} from '@parley/core';
import { type ChangeFeed, type NoteChange, peerName } from './changes.js';
import { type EventStreamOptions, eventStream } from './event-stream.js';
import { type MailReader, noteFromMail } from './mail.js';
import { checkName, contentType, generateName } from './names.js';
import { noteCondition, noteTag, noteVersion } from './note-versions.js';
import { type PageEndpoints, pageHtml } from './page.js';
import { readPageScript } from './page-script.js';
import type { NoteStore, WriteMode, WriteResult } from './store.js';

/** Options of {@link createNotesRouter}. */
export interface NotesRouterOptions {
  /** Where the notes live. */
  readonly store: NoteStore;
  /** Where changes are announced (the live page and MQTT subscribers read them). */
  readonly feed: ChangeFeed;
  /** Parses requests that arrived over SMTP as mails. Without it, they are stored as they came. */
  readonly readMail?: MailReader | undefined;
  /** Options of the live page's event streams. */
  readonly events?: EventStreamOptions | undefined;
  /** Where the live page's clients reach the service. Default: WebSocket at `/parley`, no MQTT. */
  readonly endpoints?: (() => PageEndpoints) | undefined;
  /** The live page's bundled script. Default: the one `build-page.ts` wrote (see `readPageScript`). */
  readonly pageScript?: (() => Promise<string | undefined>) | undefined;
}

/** The protocols whose replies stream, so they can carry the endless `/events` body. */
const STREAMING_PROTOCOLS: ReadonlySet<string> = new Set(['http', 'memory', 'local']);

/**
 * Whether a request for `/` is a browser's: over HTTP a `GET /` arrives as a `LIST` of the root,
 * so the page is served to clients that accept HTML, the listing to the others.
 */
function wantsPage(request: Request): boolean {
  return request.peer.protocol === 'http' && (request.headers.get('accept') ?? '').includes('text/html');
}

const NOT_BUILT = 'The live page is not built: run `pnpm --filter @parley/example-notes build`';

/**
 * The notes service: `PUT`, `GET`, `HEAD`, `DELETE`, `POST` (append) and `MOVE` (rename, the
 * target in the `destination` header, replacing a note of that name) on `/notes/<name>`,
 * `LIST` of `/notes/`, `POST` to `/notes` to create a note (named by the mail's subject over
 * SMTP, by a `name` or `subject` header otherwise, else a generated name), plus the live page
 * at `/` (its script at `/app.js`) and a server-sent event stream of the changes at `/events`.
 */
export function createNotesRouter(options: NotesRouterOptions): Router {
  const { store, feed } = options;
  const endpoints = options.endpoints ?? (() => ({ wsPath: '/parley' }));
  const pageScript = options.pageScript ?? (() => readPageScript());
  const page = (): Response =>
    respond('ok', pageHtml(endpoints()), { 'content-type': 'text/html; charset=utf-8' });

  const announce = (
    request: Request,
    type: NoteChange['type'],
    name: string,
    size: number,
    status: Status,
  ): void =>
    feed.emit({
      type,
      name,
      size,
      protocol: request.peer.protocol,
      peer: peerName(request.peer),
      status,
      at: new Date().toISOString(),
    });

  const write = async (request: Request, name: string, mode: WriteMode, body: Body): Promise<WriteResult> => {
    const result = await store.write(name, body, {
      mode,
      signal: request.signal,
      condition: noteCondition(request.headers),
    });
    const [type, status] = result.created ? (['created', 'created'] as const) : (['updated', 'ok'] as const);
    announce(request, type, name, result.info.size, status);
    return result;
  };

  const written = (result: WriteResult): Response =>
    respondJson(
      result.created ? 'created' : 'ok',
      { name: result.info.name, size: result.info.size },
      {
        location: `/notes/${encodeURIComponent(result.info.name)}`,
      },
    );

  const incoming = async (request: Request): Promise<{ name: string | undefined; body: Body }> => {
    if (request.peer.protocol === 'smtp' && options.readMail !== undefined) {
      const note = noteFromMail(await options.readMail(request));
      return { name: note.name, body: Body.from(note.content) };
    }
    const header = request.headers.get('name') ?? request.headers.get('subject');
    return { name: header?.trim() || undefined, body: request.body };
  };

  const move: Handler = async (request) => {
    const from = checkName(request.params.name);
    const to = checkName(NOTE_PATH.match(moveDestination(request))?.name ?? notInNotes());
    const moved = await store.move(from, to, moveOverwrites(request), noteCondition(request.headers));
    if (moved === undefined) return respond('not_found', `No note named ${from}`);
    if (from !== to) {
      announce(request, 'deleted', from, 0, 'ok');
      announce(request, moved.replaced ? 'updated' : 'created', to, moved.info.size, 'ok');
    }
    return respondJson(
      'ok',
      { name: to, size: moved.info.size },
      {
        location: `/notes/${encodeURIComponent(to)}`,
      },
    );
  };

  const create: Handler = async (request) => {
    const { name, body } = await incoming(request);
    return written(
      await write(request, name === undefined ? generateName() : checkName(name), 'create', body),
    );
  };

  return createRouter()
    .get('/', async () => page())
    .get('/app.js', async () => {
      const script = await pageScript();
      if (script === undefined) return respond('unavailable', NOT_BUILT);
      return respond('ok', script, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
      });
    })
    .get('/events', async (request) => {
      if (!STREAMING_PROTOCOLS.has(request.peer.protocol)) {
        throw new ParleyError(
          'bad_request',
          'The event stream is served over HTTP; MQTT clients subscribe instead',
        );
      }
      return respond('ok', eventStream(feed, request.signal, options.events, request.peer.address), {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
      });
    })
    .list('/', async (request) =>
      wantsPage(request) ? page() : respondListing([{ name: 'notes', type: 'directory' }]),
    )
    .list('/notes/', async () =>
      respondListing(
        (await store.list()).map((note) => ({
          name: note.name,
          type: 'file',
          size: note.size,
          modified: note.modified.toISOString(),
        })),
      ),
    )
    .get('/notes/:name', async (request) => {
      const name = checkName(request.params.name);
      const found = await store.read(name);
      if (found === undefined) return respond('not_found', `No note named ${name}`);
      const failed = failedReadPrecondition(request.headers, noteVersion(found.info));
      if (failed !== undefined) {
        await found.body.cancel();
        return respond('precondition_failed', `Not sent: ${failed}`);
      }
      return respond('ok', found.body, {
        'content-type': contentType(name),
        etag: noteTag(found.info),
        'last-modified': found.info.modified.toUTCString(),
      });
    })
    .put('/notes/:name', async (request) =>
      written(await write(request, checkName(request.params.name), 'replace', request.body)),
    )
    .post('/notes/:name', async (request) => {
      const name = checkName(request.params.name);
      const { body } = await incoming(request);
      return written(await write(request, name, 'append', body));
    })
    .post('/notes', create)
    .post('/notes/', create)
    .move('/notes/:name', move)
    .delete('/notes/:name', async (request) => {
      const name = checkName(request.params.name);
      if (!(await store.delete(name, noteCondition(request.headers))))
        return respond('not_found', `No note named ${name}`);
      announce(request, 'deleted', name, 0, 'no_content');
      return respond('no_content');
    });
}

/** The path of one note; a `MOVE`'s destination must be one. */
const NOTE_PATH = compilePattern('/notes/:name');

function notInNotes(): never {
  throw new ParleyError(
    'bad_request',
    'A note moves to another name in /notes/ (a destination /notes/<name>)',
  );
}
