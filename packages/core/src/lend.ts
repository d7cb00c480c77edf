/**
 * A consumer of lent chunks (see `Body.lend`): each chunk is valid only during the call, as the
 * source reads the next one into the same memory. It must be done with the chunk when it returns
 * (write it synchronously, copy what it keeps); what it throws ends the body.
 */
export type LentChunkConsumer = (chunk: Uint8Array) => void;

/**
 * The key under which a body's source may offer its chunks on loan: a function that gives every
 * remaining chunk to a {@link LentChunkConsumer} and resolves once the last one was consumed,
 * or rejects with the source's error (or what the consumer threw, the source then released).
 * A source whose end is confirmed some time after its last byte (an FTP upload) calls
 * `received`, when given, once no more chunks will come, before it confirms; others may leave
 * it to `Body.lend`. Transports that read into one reused buffer set it on the streams they
 * answer with.
 */
export const lendChunks: unique symbol = Symbol.for('parley.lendChunks');

/** A body source that can lend its chunks (see {@link lendChunks}). */
export interface LendingSource {
  /** Gives every remaining chunk to `consume`; see {@link lendChunks}. */
  [lendChunks](consume: LentChunkConsumer, received?: () => void): Promise<void>;
}

/**
 * Reads a source's next bytes into `buffer` (see `Body.filler`), returning how many it read:
 * `0` at the end. The caller owns `buffer` and reuses it once it is done with those bytes.
 */
export type ChunkFiller = (buffer: Uint8Array) => number;

/**
 * The key under which a body's source may offer to read into buffers it is given, synchronously
 * (a regular file): a function returning a {@link ChunkFiller}. Transports that write from a few
 * reused buffers ask for it; the source is not read any other way then.
 */
export const fillChunks: unique symbol = Symbol.for('parley.fillChunks');

/** A body source that can fill buffers it is given (see {@link fillChunks}). */
export interface FillingSource {
  /** Returns the filler; see {@link fillChunks}. */
  [fillChunks](): ChunkFiller;
}
