const CR = 0x0d;
const LF = 0x0a;

/**
 * The bytes of an upload in `TYPE A` (RFC 959 ASCII) as the file keeps them: each CRLF, the
 * wire's line end, becomes LF; a lone CR stays, also one split from its LF by a chunk boundary.
 */
export async function* asciiToLocal(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pendingCr = false;
  for await (const chunk of source) {
    const out = Buffer.allocUnsafe(chunk.byteLength + 1);
    let length = 0;
    let start = 0;
    if (pendingCr && chunk[0] !== LF) out[length++] = CR;
    pendingCr = false;
    for (let i = 0; i < chunk.byteLength; i++) {
      if (chunk[i] !== CR) continue;
      if (i === chunk.byteLength - 1) {
        length += Buffer.from(chunk.buffer, chunk.byteOffset + start, i - start).copy(out, length);
        start = i + 1;
        pendingCr = true;
      } else if (chunk[i + 1] === LF) {
        length += Buffer.from(chunk.buffer, chunk.byteOffset + start, i - start).copy(out, length);
        start = i + 1;
      }
    }
    length += Buffer.from(chunk.buffer, chunk.byteOffset + start, chunk.byteLength - start).copy(out, length);
    if (length > 0) yield out.subarray(0, length);
  }
  if (pendingCr) yield Buffer.of(CR);
}

/**
 * The bytes of a file sent in `TYPE A`: each LF not already preceded by CR goes as CRLF (a
 * file with CRLF line ends is sent as it is).
 */
export async function* localToAscii(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let lastCr = false;
  for await (const chunk of source) {
    const out = Buffer.allocUnsafe(chunk.byteLength * 2);
    let length = 0;
    for (let i = 0; i < chunk.byteLength; i++) {
      const byte = chunk[i] as number;
      if (byte === LF && !lastCr) out[length++] = CR;
      out[length++] = byte;
      lastCr = byte === CR;
    }
    if (length > 0) yield out.subarray(0, length);
  }
}
