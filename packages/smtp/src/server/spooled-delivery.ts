import type { Readable } from 'node:stream';
import type { Peer } from '@parley/core';
import { Spool } from '../spool.js';
import { handleMessage, type MessageSettings } from './handle-message.js';
import { MessageReader } from './message-reader.js';
import { type Reply, replyForError } from './reply.js';

/** What {@link deliverToEach} needs. */
export interface SpooledDelivery {
  /** The listener's message settings. */
  readonly settings: MessageSettings;
  /** The message as DATA streams it. */
  readonly stream: Readable;
  /** The path of each recipient, in RCPT TO order. */
  readonly paths: readonly string[];
  /** The peer and signal of the requests. */
  readonly peer: Peer;
  readonly signal: AbortSignal;
  /** Receives the reader of the incoming message, for the listener to fail if the client goes. */
  readonly reading: (reader: MessageReader) => void;
  /** Receives a failure to free the spool (its temporary file could not be removed). */
  readonly onCleanupError: (error: unknown) => void;
}

/**
 * Receives a message for several LMTP recipients: spooled once (its size checked while it
 * streams), read back for a request per recipient. Resolves with one reply per recipient.
 */
export async function deliverToEach(delivery: SpooledDelivery): Promise<Reply[]> {
  const { settings, paths } = delivery;
  const reader = new MessageReader(delivery.stream, { ...settings.reader, raw: true });
  delivery.reading(reader);
  const spool = await Spool.fill(reader, delivery.onCleanupError).catch((error: unknown) => error as Error);
  if (spool instanceof Error) return paths.map(() => replyForError(spool));
  /** The spooled copy's size was checked already. */
  const spooled: MessageSettings = {
    ...settings,
    reader: { ...settings.reader, maxMessageBytes: Number.POSITIVE_INFINITY },
  };
  const replies = await Promise.all(
    paths.map(
      (path) =>
        new Promise<Reply>((resolve) => {
          handleMessage(spooled, path, spool.open(), delivery.peer, delivery.signal, resolve);
        }),
    ),
  );
  await spool.dispose(delivery.onCleanupError);
  return replies;
}
