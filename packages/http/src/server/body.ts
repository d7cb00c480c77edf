import type { IncomingMessage } from 'node:http';
import { ParleyError } from '@parley/core';

/**
 * The chunks of a request body, read without destroying the connection when a reader stops
 * early: what is left unread is discarded by `node:http` once the response is sent.
 * `firstRead` is called when reading starts (to send `100 Continue`).
 */
export function incomingChunks(req: IncomingMessage, firstRead?: () => void): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: () => {
      firstRead?.();
      return req.iterator({ destroyOnReturn: false });
    },
  };
}

/**
 * The chunks of a request body of unknown length (chunked), failing with `too_large` as soon
 * as more than `limit` bytes arrive; `onTooLarge` is called first, to answer at once.
 * `firstRead` is called when reading starts.
 */
export async function* limitedChunks(
  req: IncomingMessage,
  limit: number,
  onTooLarge: () => void,
  firstRead?: () => void,
): AsyncGenerator<Uint8Array> {
  firstRead?.();
  let total = 0;
  for await (const chunk of req.iterator({ destroyOnReturn: false })) {
    total += (chunk as Uint8Array).byteLength;
    if (total > limit) {
      onTooLarge();
      throw new ParleyError('too_large', tooLargeMessage(limit));
    }
    yield chunk as Uint8Array;
  }
}

/** The text of a `413` answer. */
export function tooLargeMessage(limit: number): string {
  return `The request body is larger than the limit of ${limit} bytes`;
}
