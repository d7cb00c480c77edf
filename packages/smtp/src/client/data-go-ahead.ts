import { ParleyError } from '@parley/core';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';

/**
 * The connection option that makes a `DATA` answered with anything but `354` fail the send.
 * nodemailer also takes a `2xx` as the go-ahead, so a server answering `250` to `DATA` and then
 * `250` again would have the message taken for accepted while it read it as commands; curl
 * fails such a `DATA` ("DATA failed"), and so do Parley's connections.
 */
export const DATA_GO_AHEAD_REQUIRED = 'dataGoAheadRequired';

/** nodemailer's handler of the reply to `DATA` (a method of its connections). */
type DataReplyHandler = (
  this: {
    options: Record<string, unknown>;
    /** The transaction so far: a refused sender, the recipients taken. */
    _envelope?: { mailError?: unknown; accepted?: readonly unknown[] };
    close(): void;
  },
  reply: string,
  callback: (error: Error | null, info?: unknown) => void,
) => void;

let installed = false;

/**
 * Makes the connections created with {@link DATA_GO_AHEAD_REQUIRED} set fail a send whose `DATA`
 * is answered `2xx`: the connection is closed and the send fails with `unavailable`, nothing of
 * the message sent. Other connections are left as nodemailer makes them. Installed once.
 */
export function requireDataGoAhead(): void {
  if (installed) return;
  installed = true;
  const prototype = SMTPConnection.prototype as unknown as { _actionDATA: DataReplyHandler };
  const handle = prototype._actionDATA;
  prototype._actionDATA = function (this, reply, callback) {
    // A transaction without a sender or a recipient fails on that first (pipelined DATA is
    // answered whatever the envelope's fate); only a DATA that would send the message is checked.
    const envelope = this._envelope;
    const sendable = !envelope?.mailError && (envelope?.accepted?.length ?? 0) > 0;
    if (this.options[DATA_GO_AHEAD_REQUIRED] !== true || !/^2/.test(reply) || !sendable)
      return handle.call(this, reply, callback);
    this.close();
    callback(
      new ParleyError(
        'unavailable',
        `The SMTP server answered DATA with "${reply.trim()}" instead of 354: the message was not sent`,
        { retryable: false },
      ),
    );
  };
}
