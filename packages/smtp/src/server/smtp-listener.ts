import { type ListenContext, type Listener, ParleyError } from '@parley/core';
import { DrainTracker, listenOn, publicUrl } from '@parley/core/transport';
import type {
  SMTPServerAddress,
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerDataStream,
  SMTPServerSession,
} from 'smtp-server';
import { addressToPath } from '../address.js';
import type { SmtpOptions } from '../options.js';
import { authenticateSession, type SessionAuthSettings } from './auth.js';
import { ParleySmtpServer } from './connection-hooks.js';
import { type DataCallback, type DataReplies, DataReply } from './data-reply.js';
import { unknownParameter } from './esmtp-parameters.js';
import { MessageExchange, type MessageSettings } from './handle-message.js';
import { smtpError } from './helpers.js';
import { type ServerLimits, serverLimits } from './limits.js';
import { cutWhenOverrun } from './oversize-cut.js';
import { type Reply, replyFor, replyForError } from './reply.js';
import { reportFailure } from './report-failure.js';
import { peerOf, type SessionState, Sessions } from './sessions.js';
import { smtpServerOptions } from './smtp-server-options.js';
import { deliverToEach } from './spooled-delivery.js';

type Callback = (error?: Error | null) => void;
type AuthCallback = (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

/**
 * The server side of the SMTP transport: an `smtp-server` whose hooks turn each message into a
 * Parley request. Connections are admitted by a gate (see {@link ParleySmtpServer}); AUTH goes
 * to the service's `authenticate`; RCPT TO is checked against the service's routes; DATA
 * streams into the handler; `close` waits for the messages in flight.
 */
export class SmtpListener implements Listener {
  readonly #context: ListenContext;
  readonly #limits: ServerLimits;
  readonly #lmtp: boolean;
  readonly #sessions = new Sessions();
  readonly #inFlight = new DrainTracker();
  readonly #settings: MessageSettings;
  readonly #auth: SessionAuthSettings;
  readonly #server: ParleySmtpServer;
  /** Sends the replies to DATA, for every message. */
  readonly #dataReplies: DataReplies = {
    send: (stream, callback, state, replies) => this.#sendDataReply(stream, callback, state, replies),
    drain: (stream, state) =>
      cutWhenOverrun(stream, this.#limits.maxBodyBytes, () => this.#cutOversized(state)),
  };
  /** Cuts a message still in flight `dataTimeoutMs` after its DATA (see {@link SessionState.watchData}). */
  readonly #onSlowMessage = (state: SessionState): void => this.#cutSlowMessage(state);
  #url = '';
  #accepting = true;
  #closing = false;

  private constructor(url: URL, options: SmtpOptions, context: ListenContext) {
    this.#context = context;
    this.#limits = serverLimits(options);
    this.#lmtp = options.lmtp ?? false;
    this.#settings = {
      context,
      reader: {
        maxMessageBytes: this.#limits.maxBodyBytes,
        maxHeaderBytes: this.#limits.maxHeaderBytes,
        raw: options.rawMessage ?? false,
      },
      name: options.name ?? 'localhost',
    };
    this.#auth = {
      authenticate: context.authenticate,
      allowInsecureAuth: options.allowInsecureAuth ?? false,
      maxAuthFailures: this.#limits.maxAuthFailures,
      peer: peerOf,
      failures: (session) => this.#sessions.of(session).authFailures,
    };
    this.#server = new ParleySmtpServer(
      {
        ...smtpServerOptions(url, options, this.#limits, context),
        onAuth: (auth, session, callback) => this.#authenticate(auth, session, callback),
        onMailFrom: (address, _session, callback) => this.#admitTransaction(address, callback),
        onRcptTo: (address, session, callback) => this.#acceptRecipient(address, session, callback),
        onData: (stream, session, callback) => this.#receive(stream, session, callback),
        onClose: (session) => this.#sessions.closed(session),
      },
      {
        ...this.#limits,
        greetingDelayMs: this.#limits.earlyTalkerDelayMs,
        onRefusedSocketError: (error, address) => this.#report(error, 'refusal', address),
      },
    );
    this.#server.on('error', (error: Error & { remoteAddress?: string; syscall?: string }) => {
      // smtp-server repeats its socket server's errors; a failure to listen is `start`'s to throw.
      if (error.syscall !== 'listen') this.#report(error, 'connection', error.remoteAddress);
    });
  }

  /** Starts an SMTP (or LMTP) listener on the URL's host and port (25, or 465 for `smtps://`). */
  static async start(url: URL, options: SmtpOptions, context: ListenContext): Promise<SmtpListener> {
    const listener = new SmtpListener(url, options, context);
    const port = await listenOn(listener.#server.server, url, url.protocol === 'smtps:' ? 465 : 25);
    listener.#url = publicUrl(new URL(`${url.protocol}//${url.host}/`), port);
    return listener;
  }

  /** Where clients reach the listener, with the real port: `smtp://127.0.0.1:2525/`. */
  get url(): string {
    return this.#url;
  }

  /** Stops listening; new transactions get `421 4.3.2`, messages in DATA finish. */
  async stopAccepting(): Promise<void> {
    if (!this.#accepting) return;
    this.#accepting = false;
    this.#server.server.close();
  }

  /**
   * Closes idle connections (`421 4.3.2`), waits for messages in flight until `deadline`, then
   * cuts every socket left, those of clients that do not close theirs after the 421 included.
   */
  async close(deadline: AbortSignal): Promise<void> {
    await this.stopAccepting();
    this.#closing = true;
    this.#closeIdle();
    await this.#inFlight.drained(deadline);
    this.#closeIdle();
    this.#sessions.endAll(new ParleyError('unavailable', 'The server closed'));
    for (const connection of this.#server.connections) connection.close();
    // Sockets closed with a 421 whose clients have not closed their side yet are cut too, so
    // closing never waits on a client's goodbye.
    for (const socket of this.#server.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** AUTH PLAIN or LOGIN, answered by the service's `authenticate` (see {@link authenticateSession}). */
  #authenticate(auth: SMTPServerAuthentication, session: SMTPServerSession, callback: AuthCallback): void {
    authenticateSession(this.#auth, auth, session, callback);
  }

  /**
   * MAIL FROM: accepted while the listener accepts, else `421 4.3.2`; a parameter no advertised
   * extension defines gets `555 5.5.4` (see {@link unknownParameter}). Accepting MAIL and RCPT
   * is answered at the end of the event-loop turn (setImmediate, as smtp-server's own defaults
   * do), so the replies of a turn go out together: that costs a loaded server markedly less
   * CPU per message than a write inside every read.
   */
  #admitTransaction(address: SMTPServerAddress, callback: Callback): void {
    const refusal = this.#accepting
      ? unknownParameter('MAIL', address, this.#auth.authenticate !== undefined)
      : smtpError(421, '4.3.2 The server is shutting down');
    if (refusal === undefined) setImmediate(callback);
    else callback(refusal);
  }

  /** RCPT TO: accepted at the end of the turn (as MAIL FROM is) unless refused. */
  #acceptRecipient(address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void {
    const refusal = this.#recipientRefusal(address, session);
    if (refusal === undefined) setImmediate(callback);
    else callback(refusal);
  }

  /**
   * Why a recipient is refused, if it is: its parameters must be known (`555 5.5.4`), its
   * address must map to a path (`553 5.1.3`) the service has a `POST` route for (`550`). In SMTP a second mailbox waits for a transaction
   * of its own (`452 4.5.3`), so the one reply to DATA is that request's own (RFC 5321
   * section 3.3).
   */
  #recipientRefusal(recipient: SMTPServerAddress, session: SMTPServerSession): Error | undefined {
    const unknown = unknownParameter('RCPT', recipient, false);
    if (unknown !== undefined) return unknown;
    const address = recipient.address;
    let path: string;
    try {
      path = this.#sessions.of(session).pathOf(address);
    } catch (error) {
      return smtpError(553, `5.1.3 ${ParleyError.from(error).message}`);
    }
    const check = this.#context.allows('POST', path);
    if (check !== 'ok') return replyFor(check, `No mailbox ${address} (${path})`) as Error;
    const first = session.envelope.rcptTo[0];
    if (!this.#lmtp && first !== undefined && addressToPath(first.address) !== path) {
      return smtpError(452, `4.5.3 Too many recipients: send to ${address} in a new transaction`);
    }
    return undefined;
  }

  /**
   * DATA: streams the message into one request (SMTP, or LMTP with one recipient), or spools
   * it for a request per LMTP recipient; the replies go out once the message is in whole.
   */
  #receive(stream: SMTPServerDataStream, session: SMTPServerSession, callback: DataCallback): void {
    const current = this.#sessions.of(session);
    current.busy++;
    this.#inFlight.countIn();
    const deadline = this.#limits.dataTimeoutMs;
    if (deadline > 0) current.watchData(deadline, this.#onSlowMessage);
    const recipients = session.envelope.rcptTo;
    if (recipients.length === 1 || !this.#lmtp) {
      const reply = new DataReply(this.#dataReplies, stream, callback, current, this.#lmtp);
      const path = current.pathOf((recipients[0] as { address: string }).address);
      const peer = current.peer(session);
      current.reader = new MessageExchange(
        this.#settings,
        path,
        stream,
        peer,
        current.abort.signal,
        reply,
      ).reader;
      return;
    }
    const reply = new DataReply(this.#dataReplies, stream, callback, current, false);
    const paths = recipients.map((recipient) => addressToPath(recipient.address));
    this.#deliverToEach(stream, session, current, paths).then(
      (replies) => reply.reply(replies),
      (error: unknown) => reply.reply(replyForError(error)),
    );
  }

  /** The message of a DATA command is in whole and handled: its replies go out. */
  #sendDataReply(
    stream: SMTPServerDataStream,
    callback: DataCallback,
    current: SessionState,
    replies: Reply | Reply[],
  ): void {
    current.busy--;
    current.reader = undefined;
    this.#answer(stream, callback, replies);
    this.#inFlight.countOut();
    if (this.#closing) setImmediate(() => this.#closeIdle());
  }

  /** Spools the message once and hands it to a request per LMTP recipient. */
  #deliverToEach(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    current: SessionState,
    paths: readonly string[],
  ): Promise<Reply[]> {
    return deliverToEach({
      settings: this.#settings,
      stream,
      paths,
      peer: current.peer(session),
      signal: current.abort.signal,
      reading: (reader) => {
        current.reader = reader;
      },
      onCleanupError: (error) => this.#report(error, 'spool', session.remoteAddress),
    });
  }

  /** Sends the reply (or LMTP replies) to DATA: `552` for each when the message was too large. */
  #answer(stream: SMTPServerDataStream, callback: DataCallback, replies: Reply | Reply[]): void {
    let outcome = replies;
    if (stream.sizeExceeded) {
      const tooLarge = replyFor('too_large', `The message is larger than ${this.#limits.maxBodyBytes} bytes`);
      outcome = Array.isArray(replies) ? replies.map(() => tooLarge) : tooLarge;
    }
    if (typeof outcome === 'string' || Array.isArray(outcome)) callback(null, outcome);
    else callback(outcome);
  }

  /**
   * Answers a message that went on far past the size limit with `552 5.3.4` before its end and
   * closes the connection (see {@link cutWhenOverrun}).
   */
  #cutOversized(state: SessionState): void {
    for (const connection of this.#server.connections) {
      if (!this.#sessions.holds(connection.session.id, state)) continue;
      connection.send(552, `5.3.4 The message is larger than ${this.#limits.maxBodyBytes} bytes, closing`);
      connection.close();
    }
  }

  /**
   * Answers a message still arriving `dataTimeoutMs` after its DATA with `421 4.4.2` and closes
   * the connection; the handler's body fails with `timeout`, so nothing of it is kept.
   */
  #cutSlowMessage(state: SessionState): void {
    const seconds = Math.round(this.#limits.dataTimeoutMs / 1000);
    for (const connection of this.#server.connections) {
      if (!this.#sessions.holds(connection.session.id, state)) continue;
      state.end(new ParleyError('timeout', `The message did not arrive within ${seconds} s`));
      connection.send(421, `4.4.2 The message did not arrive within ${seconds} s, closing`);
      connection.close();
    }
  }

  /** Says `421 4.3.2` to every connection without a message in flight and closes it. */
  #closeIdle(): void {
    for (const connection of this.#server.connections) {
      if (this.#sessions.isBusy(connection.session.id)) continue;
      connection.send(421, '4.3.2 The server is shutting down');
      connection.close();
    }
  }

  #report(error: unknown, stage: string, address: string | undefined): void {
    reportFailure(this.#context, error, { protocol: 'smtp', stage, address });
  }
}
