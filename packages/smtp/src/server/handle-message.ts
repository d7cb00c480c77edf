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
import { type ResponseSink, serveRequest } from '@parley/core/transport';
import type { HeaderBlock } from './header-block.js';
import { MessageReader, type MessageReaderOptions, type OnHead } from './message-reader.js';
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

/** Receives the reply to a message (see {@link MessageExchange}). */
export interface ReplySink {
  /** Called once with the reply. */
  reply(reply: Reply): void;
}

/**
 * One received message for the recipient `path`: turned into a request once its header block
 * is in (see {@link MessageReader} for when), and the handler's answer into a reply, handed to
 * the sink. The exchange is the reader's head receiver and the server's response sink, so that
 * a message costs no function made for it.
 */
export class MessageExchange implements OnHead, ResponseSink {
  /** The reader of the message, which fails its body (`too_large` past the limit) and which the caller may fail (the connection closed). */
  readonly reader: MessageReader;
  readonly #settings: MessageSettings;
  readonly #path: string;
  readonly #peer: Peer;
  readonly #signal: AbortSignal;
  readonly #sink: ReplySink;
  #messageId: string | undefined;

  constructor(
    settings: MessageSettings,
    path: string,
    source: Readable,
    peer: Peer,
    signal: AbortSignal,
    sink: ReplySink,
  ) {
    this.#settings = settings;
    this.#path = path;
    this.#peer = peer;
    this.#signal = signal;
    this.#sink = sink;
    this.reader = new MessageReader(source, settings.reader, this);
  }

  /** The header block is in (or the message failed before it was): the request goes to the service. */
  head(error: Error | undefined, head: HeaderBlock | undefined, complete: Buffer | undefined): void {
    if (head === undefined) {
      this.#sink.reply(replyForError(error));
      return;
    }
    let request: Request;
    try {
      request = createRequest({
        method: 'POST',
        path: this.#path,
        // SMTP has no query part: a `?` of the mailbox is part of its path.
        query: '',
        // Split into fields only if the handler reads them.
        headers: HeaderMap.fromFlatLater(() => head.fields()),
        body: Body.from(complete ?? this.reader),
        // The signal is at hand (the session's): a request made with it is a frozen plain object.
        signal: this.#signal,
        peer: this.#peer,
      });
    } catch (thrown) {
      this.reader.cancel();
      this.#sink.reply(replyForError(thrown));
      return;
    }
    this.#messageId = head.value('message-id');
    // One reaction per message: the server hands the response (a failure arrives as one) here.
    serveRequest(this.#settings.context, request, this);
  }

  /** The handler's response (or failure): what is left of the message is let go, the reply sent. */
  respond(response: Response): void {
    if (!this.reader.finished) this.reader.cancel();
    const settings = this.#settings;
    const messageId = this.#messageId ?? `<${randomUUID()}@${settings.name}>`;
    this.#sink.reply(replyOf(response, messageId, settings, this.#peer));
  }
}

/**
 * Turns one received message for the recipient `path` into a request and the handler's answer
 * into a reply, handed to `done` (see {@link MessageExchange}). Returns the reader of the message.
 */
export function handleMessage(
  settings: MessageSettings,
  path: string,
  source: Readable,
  peer: Peer,
  signal: AbortSignal,
  done: (reply: Reply) => void,
): MessageReader {
  return new MessageExchange(settings, path, source, peer, signal, { reply: done }).reader;
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
