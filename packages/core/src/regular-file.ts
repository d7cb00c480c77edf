import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Opens an existing file for reading, never through a symbolic link, never blocking on a FIFO. */
export const READ_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Opens the file at `path` for reading when it is a regular file, never through a symbolic link
 * (that fails with `ELOOP`) and never blocking on a FIFO. `undefined`, its handle closed, when the
 * entry is a directory, a FIFO, a socket or a device; a failure to open is thrown as it is.
 */
export async function openRegularFile(path: string): Promise<FileHandle | undefined> {
  const handle = await open(path, READ_NO_FOLLOW);
  try {
    if ((await handle.stat()).isFile()) return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
  await handle.close();
  return undefined;
}
