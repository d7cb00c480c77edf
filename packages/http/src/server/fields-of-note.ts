import type { HeaderMap } from '@parley/core';

/** Which of the fields the server acts on a response carries (see {@link fieldsOfNote}). */
export interface FieldsOfNote {
  /** An `etag` or a `last-modified`: the response may be answered `304 Not Modified`. */
  validators: boolean;
  /** A `content-range`: the handler sent a part itself (`206`). */
  contentRange: boolean;
}

/** Where {@link noteField} writes: one function for every response, rather than a closure each. */
const found: FieldsOfNote = { validators: false, contentRange: false };

/**
 * Whether a response's fields hold validators or a `content-range`, found in one pass over them
 * rather than one look-up for each name (every look-up checks the case of its name and scans
 * the fields). The answer is overwritten by the next call: read it at once.
 */
export function fieldsOfNote(headers: HeaderMap): Readonly<FieldsOfNote> {
  found.validators = false;
  found.contentRange = false;
  headers.forEach(noteField);
  return found;
}

/** Notes one field (its name is lower-case) for {@link fieldsOfNote}. */
function noteField(_value: string, name: string): void {
  if (name === 'etag' || name === 'last-modified') found.validators = true;
  else if (name === 'content-range') found.contentRange = true;
}
