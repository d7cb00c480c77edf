import {
  type Authenticate,
  type CreateServerOptions,
  createServer,
  type Handler,
  type Server,
} from '@parley/core';
import { type FtpListener, type FtpServerOptions, ftp } from '@parley/ftp';
import { createMemoryStore, type MemoryStore } from './memory-store.js';

/** A running FTP server over a memory store, for tests. */
export interface Served {
  readonly server: Server;
  readonly listener: FtpListener;
  readonly store: MemoryStore;
  readonly port: number;
  readonly url: string;
  close(timeoutMs?: number): Promise<void>;
}

/** Options of {@link serve}. */
export interface ServeOptions extends Omit<FtpServerOptions, 'authenticate'> {
  /** The server's authentication hook. Default: none (anonymous). */
  authenticate?: Authenticate;
  /** The FTP transport's own login check (`FtpServerOptions.authenticate`). Default: none. */
  ftpAuthenticate?: Authenticate;
  /** The server's auth throttle options. Default: the server's default throttle. */
  authThrottle?: CreateServerOptions['authThrottle'];
  /** A handler to serve instead of the store's (it may call the store's). Default: the store. */
  handler?: (store: MemoryStore) => Handler;
}

/** Serves a fresh memory store over FTP on 127.0.0.1 and a free port. */
export async function serve(options: ServeOptions = {}): Promise<Served> {
  const { authenticate, authThrottle, ftpAuthenticate, handler, ...server } = options;
  const store = createMemoryStore();
  const parley = createServer(handler?.(store) ?? store.handle, {
    ...(authenticate === undefined ? {} : { authenticate }),
    ...(authThrottle === undefined ? {} : { authThrottle }),
  });
  const listener = (await parley.listen(
    ftp('ftp://127.0.0.1:0', {
      server: { loginFailureDelayMs: 10, authenticate: ftpAuthenticate, ...server },
    }),
  )) as FtpListener;
  const port = Number(new URL(listener.url).port);
  return {
    server: parley,
    listener,
    store,
    port,
    url: listener.url,
    close: (timeoutMs = 1000) => parley.close({ timeoutMs }),
  };
}

export { eventually } from '../../../test/support/eventually.js';
