const EQUALS = 0x3d;
const CR = 0x0d;
const LF = 0x0a;

/** The value of a hexadecimal digit, or -1. */
function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * Decodes quoted-printable (RFC 2045 section 6.7) chunk by chunk: `=XX` escapes become their
 * byte, soft line breaks (`=` at the end of a line) are removed, and anything malformed is
 * kept as it is. An escape split between chunks waits for the next one.
 */
export class QuotedPrintableDecoder {
  #rest: Buffer = Buffer.alloc(0);

  /** The bytes the chunk completes, or `undefined` when it completes none. */
  write(chunk: Buffer): Buffer | undefined {
    const all = this.#rest.byteLength === 0 ? chunk : Buffer.concat([this.#rest, chunk]);
    const equals = all.lastIndexOf(EQUALS);
    const end = equals !== -1 && equals >= all.byteLength - 2 ? equals : all.byteLength;
    this.#rest = Buffer.from(all.subarray(end));
    return end > 0 ? decode(all.subarray(0, end)) : undefined;
  }

  /** The bytes held back at the end, if any (a dangling `=` is kept). */
  end(): Buffer | undefined {
    const rest = this.#rest;
    this.#rest = Buffer.alloc(0);
    return rest.byteLength > 0 ? decode(rest) : undefined;
  }
}

function decode(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.byteLength);
  let length = 0;
  for (let i = 0; i < bytes.byteLength; i++) {
    const byte = bytes[i] as number;
    if (byte !== EQUALS) {
      out[length++] = byte;
      continue;
    }
    const next = bytes[i + 1];
    const high = hexValue(next);
    const low = hexValue(bytes[i + 2]);
    if (high !== -1 && low !== -1) {
      out[length++] = high * 16 + low;
      i += 2;
    } else if (next === CR && bytes[i + 2] === LF) i += 2;
    else if (next === LF) i += 1;
    else out[length++] = byte;
  }
  return out.subarray(0, length);
}
