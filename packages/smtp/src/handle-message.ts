import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  Body,
  createRequest,
  type ListenContext,
  type Peer,
  type Request,
  type Response,
} from '@parley/core';
import { MessageReader } from './message-reader.js';
import { type Reply, replyFor, replyForError } from './reply.js';

/** What {@link handleMessage} needs. */
export interface HandleMessageInput {
  readonly context: ListenContext;
  readonly path: string;
  readonly source: Readable;
  readonly peer: Peer;
  readonly signal: AbortSignal;
  readonly limits: { readonly maxHeaderBytes: number; readonly maxMessageBytes: number };
  readonly raw: boolean;
  readonly name: string;
}

/**
 * Turns one received message for one recipient into a request as soon as its header block is
 * in, and the handler's answer into a reply, handed to `done`. Returns the reader of the
 * message, which fails its body (`too_large` past `limits.maxMessageBytes`) and which the
 * caller may fail (the connection closed).
 */
export function handleMessage(input: HandleMessageInput, done: (reply: Reply) => void): MessageReader {
  const reader = new MessageReader(input.source, { ...input.limits, raw: input.raw }, (error, headers) => {
    if (headers === undefined) return done(replyForError(error));
    let request: Request;
    try {
      request = createRequest({
        method: 'POST',
        path: input.path,
        headers,
        body: Body.from(reader),
        signal: input.signal,
        peer: input.peer,
      });
    } catch (thrown) {
      reader.cancel();
      return done(replyForError(thrown));
    }
    const messageId = headers.get('message-id');
    input.context.handle(request).then(
      (response) => {
        if (!reader.finished) reader.cancel();
        done(replyOf(response, messageId ?? `<${randomUUID()}@${input.name}>`));
      },
      (thrown: unknown) => {
        reader.cancel();
        done(replyForError(thrown));
      },
    );
  });
  return reader;
}

/** The reply for a handler's response; a streamed response body is released unread. */
function replyOf(response: Response, messageId: string): Reply {
  const status = response.status;
  const buffered = response.body.buffered;
  if (buffered === undefined) response.body.cancel().catch(() => undefined);
  if (status === 'ok' || status === 'created' || status === 'accepted' || status === 'no_content') {
    return replyFor(status, `OK ${messageId}`);
  }
  return replyFor(
    status,
    buffered === undefined || buffered.byteLength === 0 ? undefined : Buffer.from(buffered).toString('utf8'),
  );
}
