import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** Bytes a spool keeps in memory before it moves to a temporary file. */
const MEMORY_BYTES = 256 * 1024;

/**
 * A message written once and read back as many times as it has recipients: in memory up to
 * 256 KiB, in a temporary file beyond, so memory stays bounded whatever the message size.
 */
export class Spool {
  readonly #chunks: Buffer[] = [];
  #size = 0;
  #file: FileHandle | undefined;
  #path: string | undefined;

  /**
   * Fills a spool from a stream; the stream's error (such as `too_large`) is thrown after
   * cleanup, whose own failure goes to `onCleanupError`.
   */
  static async fill(source: AsyncIterable<Buffer>, onCleanupError: (error: unknown) => void): Promise<Spool> {
    const spool = new Spool();
    try {
      for await (const chunk of source) await spool.#write(chunk);
      await spool.#file?.close();
      spool.#file = undefined;
      return spool;
    } catch (error) {
      await spool.dispose(onCleanupError);
      throw error;
    }
  }

  /** A fresh stream of the spooled bytes. */
  open(): Readable {
    if (this.#path !== undefined) return createReadStream(this.#path);
    return Readable.from(this.#chunks, { objectMode: false });
  }

  /**
   * Frees the memory and removes the temporary file. A failure to close or remove the file
   * goes to `onError`; the spool is freed in any case.
   */
  async dispose(onError: (error: unknown) => void): Promise<void> {
    this.#chunks.length = 0;
    const file = this.#file;
    const path = this.#path;
    this.#file = undefined;
    this.#path = undefined;
    await file?.close().catch(onError);
    if (path !== undefined) await unlink(path).catch(onError);
  }

  async #write(chunk: Buffer): Promise<void> {
    this.#size += chunk.byteLength;
    if (this.#file === undefined && this.#size <= MEMORY_BYTES) {
      this.#chunks.push(chunk);
      return;
    }
    if (this.#file === undefined) {
      this.#path = join(tmpdir(), `parley-smtp-${randomUUID()}.eml`);
      this.#file = await open(this.#path, 'w', 0o600);
      for (const held of this.#chunks) await this.#file.write(held);
      this.#chunks.length = 0;
    }
    await this.#file.write(chunk);
  }
}
