import { setMaxListeners } from 'node:events';
import { Readable } from 'node:stream';
import type { Platform } from './platform.js';

/**
 * Node.js's parts of the platform: `Buffer` encodes short strings several times faster than
 * TextEncoder (pooled memory), `Body.stream()` makes Readable streams, and long-lived signals
 * take any number of listeners. Installed by the Node.js entries only.
 */
export const NODE_PLATFORM: Platform = {
  encodeText: (text) => Buffer.from(text, 'utf8'),
  textBytes: (text) => Buffer.byteLength(text, 'utf8'),
  concatBytes: (chunks, total) => Buffer.concat(chunks, total),
  decodeText: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  unlimitListeners: (signal) => setMaxListeners(0, signal),
  toReadable: (chunks, source) =>
    source instanceof Readable ? source : Readable.from(chunks, { objectMode: false }),
};
