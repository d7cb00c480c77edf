import { afterEach } from 'vitest';
import type { MemoryStore } from './memory-store.js';
import { RawFtp } from './raw-ftp.js';
import { type Served, type ServeOptions, serve } from './serve.js';

/** A fresh FTP server and a raw control connection to it, logged in as anonymous. */
export interface LoggedIn {
  readonly served: Served;
  readonly ftp: RawFtp;
}

/**
 * Returns a function opening a {@link LoggedIn} session on a fresh server (with `options`) whose
 * store `prepare` fills first; what it opened is closed after each test of the file that calls this.
 */
export function loggedInEach(
  prepare?: (store: MemoryStore) => void,
): (options?: ServeOptions) => Promise<LoggedIn> {
  const open: LoggedIn[] = [];
  afterEach(async () => {
    for (const { served, ftp } of open.splice(0)) {
      ftp.close();
      await served.close();
    }
  });
  return async (options) => {
    const served = await serve(options);
    prepare?.(served.store);
    const ftp = await RawFtp.connect(served.port);
    open.push({ served, ftp });
    await ftp.login();
    return { served, ftp };
  };
}
