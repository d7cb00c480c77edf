import { type Body, ParleyError } from '@parley/core';

/** What the store knows of one note. */
export interface NoteInfo {
  /** The note's name (checked by `checkName`). */
  readonly name: string;
  /** Its size in bytes. */
  readonly size: number;
  /** When it was last written. */
  readonly modified: Date;
}

/**
 * How a write treats an existing note: `replace` it, `append` to it (creating it when absent),
 * or `create` it only when absent (a `conflict` ParleyError otherwise).
 */
export type WriteMode = 'replace' | 'append' | 'create';

/**
 * A check of a note as it is (`undefined`: there is none), made while the change holds the
 * note's lock: a readable reason to refuse the change (`precondition_failed`), or `undefined` to go ahead.
 * The notes service makes one from a request's `If-Match`, `If-None-Match` and
 * `If-Unmodified-Since`, so that a client that read one version does not overwrite another's.
 */
export type NoteCondition = (current: NoteInfo | undefined) => string | undefined;

/** Throws `precondition_failed` when `condition` refuses the note as it is now. */
export function checkCondition(condition: NoteCondition | undefined, current: NoteInfo | undefined): void {
  const reason = condition?.(current);
  if (reason !== undefined) throw new ParleyError('precondition_failed', `${reason}: nothing was changed`);
}

/** Options of {@link NoteStore.write}. */
export interface WriteOptions {
  /** How an existing note is treated. */
  readonly mode: WriteMode;
  /** Checked against the note as it is once the write holds its lock. */
  readonly condition?: NoteCondition | undefined;
  /** Aborts the write; nothing of it is kept. */
  readonly signal?: AbortSignal | undefined;
}

/** The outcome of a write. */
export interface WriteResult {
  /** The note as stored. */
  readonly info: NoteInfo;
  /** Whether the note did not exist before. */
  readonly created: boolean;
}

/** The outcome of a move. */
export interface MoveResult {
  /** The note under its new name. */
  readonly info: NoteInfo;
  /** Whether a note of the new name existed before, and was replaced. */
  readonly replaced: boolean;
}

/**
 * Where notes live. Writes are all or nothing: a write that fails or is aborted leaves the
 * note as it was. Only regular files are notes: a symbolic link, a directory or anything else
 * in the store is neither listed nor read (`undefined`), and writing, moving or deleting over
 * one is refused with `forbidden`.
 */
export interface NoteStore {
  /** Every note, by name. */
  list(): Promise<NoteInfo[]>;
  /** One note's metadata, or `undefined` when there is none. */
  stat(name: string): Promise<NoteInfo | undefined>;
  /** One note's metadata and content, or `undefined` when there is none. */
  read(name: string): Promise<{ info: NoteInfo; body: Body } | undefined>;
  /** Stores a body as a note. Throws `too_large` beyond the store's limit. */
  write(name: string, body: Body, options: WriteOptions): Promise<WriteResult>;
  /** Deletes a note; false when there was none. `condition` is checked under the note's lock. */
  delete(name: string, condition?: NoteCondition): Promise<boolean>;
  /**
   * Renames a note in one step (the disk store's is one rename(2)): a note already named `to` is
   * replaced, as rename(2) does, unless `overwrite` is false (then it is `precondition_failed`, WebDAV's 412);
   * `undefined` when there is no note `from`. Moving a note onto its own name changes nothing.
   * `condition` is checked against the note `from`, under both names' locks.
   */
  move(
    from: string,
    to: string,
    overwrite?: boolean,
    condition?: NoteCondition,
  ): Promise<MoveResult | undefined>;
}

/** The default largest note, in bytes: 64 MiB. */
export const DEFAULT_MAX_NOTE_BYTES = 64 * 1024 * 1024;
