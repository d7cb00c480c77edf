import type { IncomingMessage } from 'node:http';
import { ParleyError } from '@parley/core';

/** Whether the server is shutting down (what a listener's exchange context says). */
export interface ClosingState {
  readonly closing: boolean;
}

/**
 * The chunks of a request body, read without destroying the connection when a reader stops
 * early: what is left unread is discarded by `node:http` once the response is sent.
 * `firstRead` is called when reading starts (to send `100 Continue`). A connection that ends
 * before the body fails the reader with a ParleyError (see {@link cutOff}).
 */
export function incomingChunks(
  req: IncomingMessage,
  state: ClosingState,
  firstRead?: () => void,
): AsyncIterable<Uint8Array> {
  return {
    [Symbol.asyncIterator]: (): AsyncIterator<Uint8Array> => {
      firstRead?.();
      const chunks = req.iterator({ destroyOnReturn: false });
      const fail = (error: unknown): never => {
        throw cutOff(error, state);
      };
      return {
        next: () => chunks.next().catch(fail),
        return: (value?: unknown) => chunks.return?.(value) ?? Promise.resolve({ done: true, value }),
      };
    },
  };
}

/**
 * What the reader of a request body gets when the connection ends before the body does:
 * `unavailable` when the server cut it off while shutting down, else `cancelled` (the client
 * went away).
 */
export function cutOff(error: unknown, state: ClosingState): ParleyError {
  if (error instanceof ParleyError) return error;
  return state.closing
    ? new ParleyError('unavailable', 'The server shut down before the request body was read', {
        cause: error,
      })
    : new ParleyError('cancelled', 'The connection closed before the request body ended', { cause: error });
}

/**
 * The chunks of a request body of unknown length (chunked), failing with `too_large` as soon
 * as more than `limit` bytes arrive; `onTooLarge` is called first, to answer at once.
 * `firstRead` is called when reading starts.
 */
export async function* limitedChunks(
  req: IncomingMessage,
  state: ClosingState,
  limit: number,
  onTooLarge: () => void,
  firstRead?: () => void,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of incomingChunks(req, state, firstRead)) {
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
