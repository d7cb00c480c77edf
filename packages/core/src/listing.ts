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
 * The response to a `LIST`: the entries as a JSON array. Every transport carries this shape
 * (FTP renders it as MLSD, LIST and NLST lines and parses it back on the client side).
 */
export function respondListing(entries: readonly Entry[]): Response {
  return respondJson(entries);
}

/** Options of {@link readListing}. */
export interface ReadListingOptions {
  /** Refuse with `too_large` a listing body over this many bytes. Default: no limit. */
  maxBytes?: number;
  /** Refuse with `too_large` a listing of more than this many entries. Default: no limit. */
  maxEntries?: number;
}

/**
 * Reads the entries of a `LIST` response body. A body that is no JSON array is refused with a
 * `bad_request` ParleyError, one over a limit with `too_large`.
 */
export async function readListing(response: Response, options: ReadListingOptions = {}): Promise<Entry[]> {
  const value = await response.body.json<unknown>(
    options.maxBytes === undefined ? {} : { limit: options.maxBytes },
  );
  if (!Array.isArray(value))
    throw new ParleyError('bad_request', 'A listing body must be a JSON array of entries');
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  if (value.length > maxEntries)
    throw new ParleyError('too_large', `The listing has more than ${maxEntries} entries`);
  return value.filter(isEntry);
}

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.name === 'string' &&
    (entry.type === 'file' || entry.type === 'directory')
  );
}
