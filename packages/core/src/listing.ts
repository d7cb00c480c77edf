import { ParleyError } from './error.js';
import { type Response, respondJson } from './response.js';

/** One entry of a collection, as a `LIST` response carries it. */
export interface Entry {
  /** The entry's name within its collection (no slashes). */
  readonly name: string;
  /** A file (a leaf with a body) or a directory (a collection). */
  readonly type: 'file' | 'directory';
  /** The size in bytes, when known. */
  readonly size?: number | undefined;
  /** The last modification time as an ISO 8601 string, when known. */
  readonly modified?: string | undefined;
}

/**
 * The header field of a `LIST` response that says how many entries of the collection its
 * listing left out (names no request could name again, for instance); absent when none were.
 * Parley's FTP server adds the count to its `226` reply.
 */
export const LEFT_OUT_FIELD = 'parley-left-out';

/**
 * The response to a `LIST`: the entries as a JSON array. Every transport carries this shape
 * (FTP renders it as MLSD, LIST and NLST lines and parses it back on the client side).
 *
 * @param entries - the entries of the collection
 * @param leftOut - how many entries were left out of `entries`, said in {@link LEFT_OUT_FIELD}
 * @returns The response, status `ok`.
 *
 * @example
 * ```ts
 * router.list('/notes/', async () =>
 *   respondListing([{ name: 'a.txt', type: 'file', size: 5, modified: new Date().toISOString() }]),
 * );
 * ```
 */
export function respondListing(entries: readonly Entry[], leftOut = 0): Response {
  return respondJson('ok', entries, leftOut > 0 ? { [LEFT_OUT_FIELD]: String(leftOut) } : undefined);
}

/**
 * How many entries a `LIST` response says its listing left out ({@link LEFT_OUT_FIELD}); 0
 * when it says none, or nothing a count can be read from.
 *
 * @param response - a `LIST` response
 *
 * @example
 * ```ts
 * const response = await client.list('/files/');
 * const hidden = leftOutOf(response);
 * if (hidden > 0) console.log(`${hidden} names could not be listed`);
 * ```
 */
export function leftOutOf(response: Response): number {
  const value = response.headers.get(LEFT_OUT_FIELD);
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : 0;
}

/** Options of {@link readListing}. */
export interface ReadListingOptions {
  /** Refuse with `too_large` a listing body over this many bytes. Default: no limit. */
  maxBytes?: number | undefined;
  /** Refuse with `too_large` a listing of more than this many entries. Default: no limit. */
  maxEntries?: number | undefined;
}

/**
 * Reads the entries of a `LIST` response body: a JSON array of entries. Besides Parley's own
 * shape it reads nginx's `autoindex_format json` listings, whose `mtime` (an HTTP date) becomes
 * `modified`. Items that are not entries (nginx's `other`, a name that is empty, `.`, `..` or holds
 * a `/`) are left out, and so are fields of the wrong type: a listing from a server you do not
 * trust is safe to join to local paths. An HTML page (such as
 * nginx's default `autoindex_format html`, known by its content-type or its leading `<`) is
 * refused with an `unsupported` ParleyError saying so, another body that is not JSON with a
 * `bad_request` one, and one over a limit of `options` with `too_large`.
 *
 * @param response - the response to a `LIST`
 * @param options - limits on the listing read
 * @returns The entries.
 *
 * @example
 * ```ts
 * const entries = await readListing(await client.list('/notes/'));
 * for (const entry of entries) console.log(entry.type, entry.name, entry.size);
 * ```
 */
export async function readListing(response: Response, options: ReadListingOptions = {}): Promise<Entry[]> {
  if (HTML.test(response.headers.get('content-type') ?? '')) {
    await response.body.cancel();
    throw htmlListing();
  }
  let value: unknown;
  try {
    value = await response.body.json<unknown>(
      options.maxBytes === undefined ? {} : { limit: options.maxBytes },
    );
  } catch (error) {
    // JSON.parse's message quotes the character it stumbled on: a page starts with `<`.
    const cause = (error as { cause?: unknown } | null)?.cause;
    if (cause instanceof SyntaxError && cause.message.includes("'<'")) throw htmlListing();
    throw error;
  }
  if (!Array.isArray(value))
    throw new ParleyError('bad_request', 'A listing body must be a JSON array of entries');
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  if (value.length > maxEntries)
    throw new ParleyError('too_large', `The listing has more than ${maxEntries} entries`);
  return value.filter(isEntry).map(cleanEntry);
}

const HTML = /^\s*(text\/html|application\/xhtml\+xml)\b/i;

function htmlListing(): ParleyError {
  return new ParleyError(
    'unsupported',
    'The server answered an HTML page, not a listing: have it list collections as JSON ' +
      '(nginx: autoindex_format json;)',
  );
}

/**
 * Whether an item is an entry: a type Parley knows, and a name a collection can hold (not empty,
 * not `.` or `..`, without `/` or NUL), so that no caller joining a listed name to a local path
 * can be led out of its folder by a server's listing.
 */
function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  if (typeof entry !== 'object' || entry === null) return false;
  const name = entry.name;
  return (
    typeof name === 'string' &&
    name !== '' &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\0') &&
    (entry.type === 'file' || entry.type === 'directory')
  );
}

/**
 * The entry as the {@link Entry} type says it is, whatever the server sent: its name and type,
 * `size` only when it is a whole number of 0 or more, `modified` only when it is a string (or
 * from nginx's `mtime`, an HTTP date, when it has none of its own); other fields left out.
 */
function cleanEntry(item: Entry & { readonly mtime?: unknown }): Entry {
  const { name, type, size, modified, mtime } = item;
  const entry: { -readonly [K in keyof Entry]: Entry[K] } = { name, type };
  if (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0) entry.size = size;
  if (typeof modified === 'string') entry.modified = modified;
  else if (typeof mtime === 'string') {
    const time = Date.parse(mtime);
    if (!Number.isNaN(time)) entry.modified = new Date(time).toISOString();
  }
  return entry;
}
