import type { Readable } from 'node:stream';

/**
 * What core does differently on Node.js and in browsers. The defaults use only web platform
 * APIs; the Node.js entries install `node-platform.ts`, with `Buffer`'s faster text codec, Node.js
 * Readable streams for `Body.stream()` and unlimited abort listeners.
 */
export interface Platform {
  /** UTF-8 bytes of a string. */
  encodeText(text: string): Uint8Array;
  /** The length in bytes of a string's UTF-8 encoding. */
  textBytes(text: string): number;
  /** One byte array of many chunks, `total` bytes long. */
  concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array;
  /** UTF-8 text of bytes (malformed sequences read as U+FFFD). */
  decodeText(bytes: Uint8Array): string;
  /** Lets any number of listeners wait on a long-lived signal without a leak warning. */
  unlimitListeners(signal: AbortSignal): void;
  /** A Node.js Readable of the chunks (or `source` itself when it is one); absent in browsers. */
  toReadable?:
    | ((chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>, source?: unknown) => Readable)
    | undefined;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The platform in use: web APIs unless the Node.js entry has been loaded. */
export const platform: Platform = {
  encodeText: (text) => encoder.encode(text),
  textBytes: utf8Length,
  concatBytes,
  decodeText: (bytes) => decoder.decode(bytes),
  unlimitListeners: () => {},
};

/** The UTF-8 length of a string, counting a lone surrogate as U+FFFD (3 bytes), as encoders do. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && isLow(text.charCodeAt(i + 1))) {
      bytes += 2; // a pair: 2 UTF-16 units, 4 bytes
      i++;
    } else bytes += 2;
  }
  return bytes;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Replaces the platform's parts (the Node.js entries install {@link Platform} on Node.js APIs). */
export function usePlatform(parts: Platform): void {
  Object.assign(platform, parts);
}

function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
