import { type Client, ParleyError } from '@parley/core';

/**
 * Whether the folder holding `path` is missing (or no folder) on an FTP server. curl changes
 * into each folder of a URL's path (`CWD`) before it names the file, so a file in a missing
 * folder fails there, with "access denied" (exit 9), not with "remote file not found" (78):
 * asked only after a `not_found`, with a listing of that folder, to end with the same code.
 *
 * @param client - the client the request went through
 * @param path - the request's path (`/a/b.txt`)
 * @param signal - ends the listing (`--max-time`)
 * @returns True when the folder could not be listed for not existing; false for `/`.
 *
 * @example
 * ```ts
 * await ftpFolderMissing(client, '/no-such-folder/a.txt'); // true
 * ```
 */
export async function ftpFolderMissing(client: Client, path: string, signal?: AbortSignal): Promise<boolean> {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  if (folder === '' || folder === '/') return false;
  try {
    const listing = await client.request('LIST', folder, { signal });
    await listing.body.cancel();
    return listing.status === 'not_found';
  } catch (error) {
    return error instanceof ParleyError && error.status === 'not_found';
  }
}
