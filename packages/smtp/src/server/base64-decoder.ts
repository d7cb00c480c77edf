const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/]/g;

/** Decodes base64 chunk by chunk, ignoring line breaks and other characters outside the alphabet. */
export class Base64Decoder {
  #rest = '';

  /** The bytes the chunk completes, or `undefined` when it completes none. */
  write(chunk: Buffer): Buffer | undefined {
    const text = this.#rest + chunk.toString('latin1').replace(OUTSIDE_ALPHABET, '');
    const usable = text.length - (text.length % 4);
    this.#rest = text.slice(usable);
    return usable > 0 ? Buffer.from(text.slice(0, usable), 'base64') : undefined;
  }

  /** The bytes of a last incomplete group, if any. */
  end(): Buffer | undefined {
    return this.#rest.length > 1 ? Buffer.from(this.#rest, 'base64') : undefined;
  }
}
