import { type CurrentVersion, failedPrecondition, type HeaderMap } from '@parley/core';
import type { NoteCondition, NoteInfo } from './store.js';

/** A note's entity tag, from when it was last written and its size (`"18c4f2a9b10-1f"`). */
export function noteTag(info: NoteInfo): string {
  return `"${info.modified.getTime().toString(16)}-${info.size.toString(16)}"`;
}

/** The field names that make a change conditional. */
const CONDITIONS = ['if-match', 'if-none-match', 'if-unmodified-since'] as const;

/**
 * The condition a change request (`PUT`, `POST`, `DELETE`, `MOVE`) puts on its note by its
 * `If-Match`, `If-None-Match` and `If-Unmodified-Since` fields (core's `failedPrecondition`),
 * for the store to check under the note's lock; `undefined` when it has none.
 */
export function noteCondition(fields: HeaderMap): NoteCondition | undefined {
  if (!CONDITIONS.some((name) => fields.has(name))) return undefined;
  return (current) => failedPrecondition(fields, current && noteVersion(current));
}

/** A note's validators (its entity tag and when it was last written), as conditions compare them. */
export function noteVersion(info: NoteInfo): CurrentVersion {
  return { etag: noteTag(info), lastModified: info.modified };
}
