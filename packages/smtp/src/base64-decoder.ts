import { Transform, type TransformCallback } from 'node:stream';

/** Decodes base64 as it streams, ignoring line breaks and other characters outside the alphabet. */
export class Base64Decoder extends Transform {
  #rest = '';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.#rest + chunk.toString('latin1').replace(/[^A-Za-z0-9+/]/g, '');
    const usable = text.length - (text.length % 4);
    this.#rest = text.slice(usable);
    if (usable > 0) this.push(Buffer.from(text.slice(0, usable), 'base64'));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.#rest.length > 1) this.push(Buffer.from(this.#rest, 'base64'));
    done();
  }
}
