import { createHash } from 'node:crypto';

/** A deterministic stream of `size` bytes in `chunkSize` chunks; no more than one chunk in memory. */
export async function* patternStream(size: number, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  let sent = 0;
  let counter = 0;
  while (sent < size) {
    const length = Math.min(chunkSize, size - sent);
    const chunk = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) chunk[i] = (counter + i * 7) & 0xff;
    counter++;
    sent += length;
    yield chunk;
  }
}

/** The digest and length of a stream. */
export interface StreamDigest {
  /** SHA-256, in hex. */
  readonly sha256: string;
  /** The number of bytes. */
  readonly size: number;
}

/** The SHA-256 (hex) and byte count of a stream. */
export async function digestStream(source: AsyncIterable<Uint8Array>): Promise<StreamDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Every byte value from 0 to 255, `repeat` times over. */
export function allByteValues(repeat = 4): Buffer {
  const bytes = Buffer.alloc(256 * repeat);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff;
  return bytes;
}
