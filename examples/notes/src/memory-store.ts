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

  const write = async (name: string, body: Body, options: WriteOptions): Promise<WriteResult> => {
    const existing = notes.get(checkName(name));
    try {
      checkCondition(options.condition, existing && info(name, existing));
      if (existing !== undefined && options.mode === 'create')
        throw new ParleyError('conflict', `A note named ${name} exists`);
    } catch (error) {
      await body.cancel();
      throw error;
    }
    const prefix = options.mode === 'append' ? (existing?.bytes ?? new Uint8Array(0)) : new Uint8Array(0);
    const added = await body.bytes({ limit: maxBytes - prefix.byteLength });
    options.signal?.throwIfAborted();
    const stored = { bytes: Buffer.concat([prefix, added]), modified: new Date() };
    notes.set(name, stored);
    return { info: info(name, stored), created: existing === undefined };
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
    write: (name, body, options) => lock.run(name, () => write(name, body, options)),
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
