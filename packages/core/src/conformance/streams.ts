import { createHash } from 'node:crypto';

/**
 * A deterministic stream of `size` bytes in `chunkSize` chunks; no more than one chunk in memory.
 *
 * @param size - the number of bytes in all
 * @param chunkSize - the size of each chunk but the last
 * @returns The stream.
 *
 * @example
 * ```ts
 * await client.put('/store/big', patternStream(8 * 1024 * 1024));
 * ```
 */
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

/**
 * The SHA-256 (hex) and byte count of a stream.
 *
 * @param source - the stream to read to its end
 * @returns Its SHA-256 and size.
 *
 * @example
 * ```ts
 * const sent = await digestStream(patternStream(1 << 20));
 * const got = await digestStream((await client.get('/store/big')).body);
 * expect(got).toEqual(sent);
 * ```
 */
export async function digestStream(source: AsyncIterable<Uint8Array>): Promise<StreamDigest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Every byte value from 0 to 255, `repeat` times over.
 *
 * @param repeat - how many times the 256 values come
 *
 * @example
 * ```ts
 * await client.put('/store/bytes', allByteValues()); // 1 024 bytes, every value four times
 * ```
 */
export function allByteValues(repeat = 4): Buffer {
  const bytes = Buffer.alloc(256 * repeat);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff;
  return bytes;
}
