import { Socket, type SocketConstructorOpts } from 'node:net';
import type { Client as BasicClient } from 'basic-ftp';

/** The size of the one buffer a download's data connection reads into. */
const READ_BYTES = 256 * 1024;

/** Receives what one read of the data connection brought, valid only during the call. */
export type ReadHandler = (chunk: Buffer, socket: Socket) => void;

/**
 * Makes the next data connection `client` opens read into one reused buffer (Node.js's `onread`)
 * and hand each read to `onRead` instead of emitting it: no buffer is allocated per read. Its
 * `end`, errors and `pause()`/`resume()` work as usual. Plain connections only (TLS reads its
 * socket itself): on a TLS connection it does nothing and returns `undefined`. Otherwise it
 * returns a function that undoes it if no data connection was opened yet.
 */
export function readNextDataIntoOneBuffer(
  client: BasicClient,
  onRead: ReadHandler,
): (() => void) | undefined {
  const context = client.ftp;
  if (context.hasTLS) return undefined;
  const own = context as { _newSocket: () => Socket };
  const restore = (): void => {
    delete (own as Partial<typeof own>)._newSocket;
  };
  own._newSocket = () => {
    restore();
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    // `onread` is taken by the constructor too, though the typings list it for `connect` only.
    const options = {
      onread: {
        buffer,
        callback: (bytes: number, into: Uint8Array) => {
          onRead((into as Buffer).subarray(0, bytes), socket);
        },
      },
    } as SocketConstructorOpts;
    const socket = new Socket(options);
    return socket;
  };
  return restore;
}
