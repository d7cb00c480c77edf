import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Body, createRequest, type ListenContext, type Peer } from '@parley/core';
import { openMessage } from './message-reader.js';
import { type Reply, replyFor, replyForError } from './reply.js';

/** What {@link handleMessage} needs. */
export interface HandleMessageInput {
  readonly context: ListenContext;
  readonly path: string;
  readonly source: Readable;
  readonly peer: Peer;
  readonly signal: AbortSignal;
  readonly limits: { readonly maxHeaderBytes: number };
  readonly raw: boolean;
  readonly name: string;
}

/** Turns one received message for one recipient into a request, and the handler's answer into a reply. */
export async function handleMessage(input: HandleMessageInput): Promise<Reply> {
  try {
    const message = await openMessage(input.source, {
      maxHeaderBytes: input.limits.maxHeaderBytes,
      raw: input.raw,
    });
    const messageId = message.headers.get('message-id') ?? `<${randomUUID()}@${input.name}>`;
    const request = createRequest({
      method: 'POST',
      path: input.path,
      headers: message.headers,
      body: Body.from(message.body),
      signal: input.signal,
      peer: input.peer,
    });
    const response = await input.context.handle(request);
    await request.body.cancel();
    const buffered = response.body.buffered;
    await response.body.cancel();
    const text =
      buffered === undefined || buffered.byteLength === 0
        ? undefined
        : Buffer.from(buffered).toString('utf8');
    const success =
      response.status === 'ok' || response.status === 'created' || response.status === 'accepted';
    return replyFor(response.status, success || response.status === 'no_content' ? `OK ${messageId}` : text);
  } catch (error) {
    input.source.destroy();
    return replyForError(error);
  }
}
