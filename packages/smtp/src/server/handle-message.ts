import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  Body,
  createRequest,
  HeaderMap,
  type ListenContext,
  type Peer,
  type Request,
  type Response,
} from '@parley/core';
import { serveRequest } from '@parley/core/transport';
import { fieldValue } from '../mail-headers.js';
import { MessageReader, type MessageReaderOptions } from './message-reader.js';
import { acceptedReply, type Reply, replyFor, replyForError } from './reply.js';
import { reportFailure } from './report-failure.js';

/** What {@link handleMessage} needs that is the same for every message of a server. */
export interface MessageSettings {
  /** The service. */
  readonly context: ListenContext;
  /** Limits of the message and whether the handler gets it raw. */
  readonly reader: MessageReaderOptions;
  /** The server's host name, the domain of message ids it makes. */
  readonly name: string;
}

/**
 * Turns one received message for the recipient `path` into a request once its header block
 * and the next chunk are in (or the whole message, when it is small), and the handler's answer
 * into a reply, handed to `done`. Returns the reader of
 * the message, which fails its body (`too_large` past the limit) and which the caller may
 * fail (the connection closed).
 */
export function handleMessage(
  settings: MessageSettings,
  path: string,
  source: Readable,
  peer: Peer,
  signal: AbortSignal,
  done: (reply: Reply) => void,
): MessageReader {
  const reader = new MessageReader(source, settings.reader, (error, fields, complete) => {
    if (fields === undefined) return done(replyForError(error));
    let request: Request;
    try {
      request = createRequest({
        method: 'POST',
        path,
        // SMTP has no query part: a `?` of the mailbox is part of its path.
        query: '',
        headers: HeaderMap.fromFlat(fields),
        body: Body.from(complete ?? reader),
        signal,
        peer,
      });
    } catch (thrown) {
      reader.cancel();
      return done(replyForError(thrown));
    }
    const messageId = fieldValue(fields, 'message-id');
    // One reaction per message: the server hands the response (a failure arrives as one) to the sink.
    serveRequest(settings.context, request, {
      respond: (response) => {
        if (!reader.finished) reader.cancel();
        done(replyOf(response, messageId ?? `<${randomUUID()}@${settings.name}>`, settings, peer));
      },
    });
  });
  return reader;
}

/**
 * The reply for a handler's response; a streamed response body is released unread (a failure
 * to release it goes to the service's error hook).
 */
function replyOf(response: Response, messageId: string, settings: MessageSettings, peer: Peer): Reply {
  const status = response.status;
  const body = response.body;
  // A body built from a string is read as it is, not encoded to bytes first.
  const text = body.bufferedText;
  const buffered = text === undefined ? body.buffered : undefined;
  if (text === undefined && buffered === undefined) {
    body.cancel().catch((error: unknown) =>
      reportFailure(settings.context, error, {
        protocol: 'smtp',
        stage: 'response-body',
        address: peer.address,
      }),
    );
  }
  if (status === 'ok' || status === 'created' || status === 'accepted' || status === 'no_content') {
    return acceptedReply(messageId);
  }
  return replyFor(
    status,
    text ?? (buffered === undefined ? undefined : Buffer.from(buffered).toString('utf8')),
  );
}
