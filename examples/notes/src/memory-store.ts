import { Body, KeyedLock, ParleyError } from '@parley/core';
import { checkName } from './names.js';
import {
  checkCondition,
  DEFAULT_MAX_NOTE_BYTES,
  type NoteInfo,
  type NoteStore,
  type WriteOptions,
  type WriteResult,
} from './store.js';

interface Stored {
  readonly bytes: Uint8Array;
  readonly modified: Date;
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** The largest note, in bytes; a bigger upload is refused with `too_large`. Default: 64 MiB. */
  readonly maxNoteBytes?: number;
}

/** A store that keeps notes in memory, lost when the process ends. For tests and quick demos. */
export function createMemoryStore(options: MemoryStoreOptions = {}): NoteStore {
  const notes = new Map<string, Stored>();
  const lock = new KeyedLock();
  const maxBytes = options.maxNoteBytes ?? DEFAULT_MAX_NOTE_BYTES;
  const info = (name: string, stored: Stored): NoteInfo => ({
    name,
    size: stored.bytes.byteLength,
    modified: stored.modified,
  });

  /** Refuses a write the note as it is rules out (a failed condition, a create onto a note). */
  const check = (name: string, options: WriteOptions): Stored | undefined => {
    const existing = notes.get(checkName(name));
    checkCondition(options.condition, existing && info(name, existing));
    if (existing !== undefined && options.mode === 'create')
      throw new ParleyError('conflict', `A note named ${name} exists`);
    return existing;
  };

  // The body is received before the note's lock is taken, so a client sending it slowly holds
  // no other write of the note back; the checks run again under the lock, on the note as it is.
  const write = async (name: string, body: Body, options: WriteOptions): Promise<WriteResult> => {
    let before: Stored | undefined;
    try {
      before = check(name, options);
    } catch (error) {
      await body.cancel();
      throw error;
    }
    const added = await body.bytes({
      limit: maxBytes - (options.mode === 'append' ? (before?.bytes.byteLength ?? 0) : 0),
    });
    options.signal?.throwIfAborted();
    return lock.run(name, async () => {
      const existing = check(name, options);
      const prefix = options.mode === 'append' ? (existing?.bytes ?? new Uint8Array(0)) : new Uint8Array(0);
      if (prefix.byteLength + added.byteLength > maxBytes)
        throw new ParleyError('too_large', `A note may be at most ${maxBytes} bytes`);
      options.signal?.throwIfAborted();
      const stored = { bytes: Buffer.concat([prefix, added]), modified: new Date() };
      notes.set(name, stored);
      return { info: info(name, stored), created: existing === undefined };
    });
  };

  return {
    async list() {
      return [...notes]
        .map(([name, stored]) => info(name, stored))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async stat(name) {
      const stored = notes.get(name);
      return stored && info(name, stored);
    },
    async read(name) {
      const stored = notes.get(name);
      return stored && { info: info(name, stored), body: Body.from(stored.bytes) };
    },
    write,
    async delete(name, condition) {
      return lock.run(name, async () => {
        const stored = notes.get(name);
        checkCondition(condition, stored && info(name, stored));
        return notes.delete(name);
      });
    },
    async move(from, to, overwrite = true, condition) {
      checkName(from);
      checkName(to);
      return lock.runAll([from, to], async () => {
        const stored = notes.get(from);
        checkCondition(condition, stored && info(from, stored));
        if (stored === undefined) return undefined;
        if (from === to) return { info: info(to, stored), replaced: false };
        const replaced = notes.has(to);
        if (replaced && !overwrite)
          throw new ParleyError(
            'precondition_failed',
            `A note named ${to} exists and the MOVE may not replace it`,
          );
        notes.delete(from);
        notes.set(to, stored);
        return { info: info(to, stored), replaced };
      });
    },
  };
}
