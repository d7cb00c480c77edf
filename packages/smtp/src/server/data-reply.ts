import type { SMTPServerDataStream } from 'smtp-server';
import type { ReplySink } from './handle-message.js';
import { afterEnd } from './helpers.js';
import type { Reply } from './reply.js';
import type { SessionState } from './sessions.js';

/** smtp-server's callback for the reply to DATA. */
export type DataCallback = (error: Error | null, message?: string | (string | Error)[]) => void;

/** Where the replies to DATA go once the message is in whole (the listener). */
export interface DataReplies {
  /** Sends the reply (or LMTP replies) of a message whose stream has ended. */
  send(
    stream: SMTPServerDataStream,
    callback: DataCallback,
    state: SessionState,
    replies: Reply | Reply[],
  ): void;
  /** Watches the rest of a message whose reply is decided but whose stream goes on being drained. */
  drain(stream: SMTPServerDataStream, state: SessionState): void;
}

/**
 * The reply to one DATA command: held until the message's stream has ended (drained when the
 * handler answered before reading it all), then handed to the listener. `asList` wraps a
 * single reply in a list (LMTP answers each recipient).
 */
export class DataReply implements ReplySink {
  readonly #replies: DataReplies;
  readonly #stream: SMTPServerDataStream;
  readonly #callback: DataCallback;
  readonly #state: SessionState;
  readonly #asList: boolean;
  #replied = false;

  constructor(
    replies: DataReplies,
    stream: SMTPServerDataStream,
    callback: DataCallback,
    state: SessionState,
    asList: boolean,
  ) {
    this.#replies = replies;
    this.#stream = stream;
    this.#callback = callback;
    this.#state = state;
    this.#asList = asList;
  }

  /** Sends the reply once the stream has ended; a second reply is ignored. */
  reply(reply: Reply | Reply[]): void {
    if (this.#replied) return;
    this.#replied = true;
    const replies = this.#asList && !Array.isArray(reply) ? [reply] : reply;
    const stream = this.#stream;
    if (stream.readableEnded || stream.destroyed) this.#send(replies);
    else {
      this.#replies.drain(stream, this.#state);
      afterEnd(stream, () => this.#send(replies));
    }
  }

  #send(replies: Reply | Reply[]): void {
    this.#replies.send(this.#stream, this.#callback, this.#state, replies);
  }
}
