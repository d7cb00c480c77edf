import type { Readable } from 'node:stream';
import { ParleyError } from '@parley/core';
import { oneLine } from './reply.js';

/** The shortest end of the data: `.` and CRLF (more when the message does not end with CRLF). */
const END_OF_DATA_BYTES = 3;

/**
 * Fails a send whose final reply came before the message was all sent: `message` not read to
 * its end, or fewer bytes gone out on the connection (`sentBytes`, nodemailer's `messageSize`,
 * dot-stuffing and the final `.` included) than `messageBytes` and the end of the data. A
 * server answering `250` then cannot have received the message, so the reply is not taken as
 * an acceptance; the rest of the message is not sent.
 *
 * @param message - the stream the message was sent from
 * @param messageBytes - the bytes of the message (read from it so far)
 * @param sentBytes - the bytes of the data written out when the reply came, if known
 * @param reply - the server's reply to the data
 */
export function checkSentWhole(
  message: Readable,
  messageBytes: number,
  sentBytes: unknown,
  reply: string,
): void {
  const short = typeof sentBytes === 'number' && sentBytes < messageBytes + END_OF_DATA_BYTES;
  if (message.readableEnded && !short) return;
  message.destroy();
  throw new ParleyError(
    'unavailable',
    `The SMTP server answered (${oneLine(reply)}) before the message was all sent: it cannot have received it`,
    { retryable: false },
  );
}
