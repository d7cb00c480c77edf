import { type ListenContext, type Listener, ParleyError, type Peer, type Principal } from '@parley/core';
import type { SMTPServerDataStream, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { addressToPath } from '../address.js';
import { ParleySmtpServer } from './connection-hooks.js';
import { handleMessage, type MessageSettings } from './handle-message.js';
import { MessageReader } from './message-reader.js';
import type { SmtpOptions } from '../options.js';
import { type Reply, replyFor, replyForError } from './reply.js';
import { authenticateSession, type SessionAuthSettings } from './auth.js';
import { afterEnd, definedOnly, listenOn, tlsOptions, waitIdle } from './helpers.js';
import { Spool } from '../spool.js';
import { traceLogger } from '../trace-logger.js';

/** Defaults of the server options (see {@link SmtpOptions}). */
export const SMTP_SERVER_DEFAULTS = {
  /** Largest message, in bytes: 25 MiB. */
  maxMessageBytes: 25 * 1024 * 1024,
  /** Largest header block, in bytes: 64 KiB. */
  maxHeaderBytes: 64 * 1024,
  /** Most recipients of one message: 100. */
  maxRecipients: 100,
  /** Most connections at once: 1000. */
  maxConnections: 1000,
  /** Most connections at once from one address (an IPv6 /64 counts as one): 64. */
  maxConnectionsPerAddress: 64,
  /** Time a connection has to start its first transaction (MAIL FROM accepted), in ms: 30 000. */
  firstMailTimeoutMs: 30_000,
  /** Failed or throttled AUTH attempts on one connection; the last is answered 421 and closes it: 3. */
  maxAuthFailures: 3,
  /** Idle time before a connection is cut, in ms: 60 000. */
  socketTimeoutMs: 60_000,
  /** How long `close()` leaves connections open past the deadline, in ms: 1 000. */
  closeTimeoutMs: 1000,
  /** Wait before the greeting, in ms: 100. */
  earlyTalkerDelayMs: 100,
} as const;

interface SessionState {
  readonly abort: AbortController;
  /** Messages of the session being handled (0 or 1). */
  busy: number;
  /** The reader of the message in DATA, failed when the connection goes. */
  reader: MessageReader | undefined;
  /** The peer of the session's requests, made again when the principal changes. */
  peer: Peer | undefined;
  /** The last recipient address seen and its path. */
  address: string | undefined;
  path: string | undefined;
  /** Failed or throttled AUTH attempts on this connection. */
  readonly authFailures: { count: number };
}

type Callback = (error?: Error | null) => void;

/** The refusal of a recipient whose mailbox needs a transaction of its own: 452 4.5.3. */
function tooManyRecipients(address: string): Error {
  return Object.assign(new Error(`4.5.3 Too many recipients: send to ${address} in a new transaction`), {
    responseCode: 452,
  });
}
type DataCallback = (error: Error | null, message?: string | (string | Error)[]) => void;

/** Starts an SMTP (or LMTP) server for a Parley service. */
export async function listenSmtp(url: URL, options: SmtpOptions, context: ListenContext): Promise<Listener> {
  const limits = { ...SMTP_SERVER_DEFAULTS, ...definedOnly(options) };
  const name = options.name ?? 'localhost';
  const raw = options.rawMessage ?? false;
  const lmtp = options.lmtp ?? false;
  const sessions = new Map<string, SessionState>();
  let accepting = true;
  const state = (session: SMTPServerSession): SessionState => {
    let found = sessions.get(session.id);
    if (found === undefined) {
      found = {
        abort: new AbortController(),
        busy: 0,
        reader: undefined,
        peer: undefined,
        address: undefined,
        path: undefined,
        authFailures: { count: 0 },
      };
      sessions.set(session.id, found);
    }
    return found;
  };
  const peer = (session: SMTPServerSession, current?: SessionState): Peer => {
    const principal = session.user as Principal | undefined;
    if (current?.peer !== undefined && current.peer.principal === principal) return current.peer;
    const made: Peer = { protocol: 'smtp', address: session.remoteAddress, principal };
    if (current !== undefined) current.peer = made;
    return made;
  };
  const settings: MessageSettings = {
    context,
    reader: { maxMessageBytes: limits.maxMessageBytes, maxHeaderBytes: limits.maxHeaderBytes, raw },
    name,
  };
  /** The same, for a spooled copy whose size was checked already. */
  const spooled: MessageSettings = {
    ...settings,
    reader: { ...settings.reader, maxMessageBytes: Number.POSITIVE_INFINITY },
  };
  /** The path of a recipient, remembered from RCPT TO for the DATA that follows. */
  const pathOf = (current: SessionState, address: string): string => {
    if (address !== current.address) {
      current.path = addressToPath(address);
      current.address = address;
    }
    return current.path as string;
  };

  /** Receives a message for several LMTP recipients: spooled once, read back for each. */
  const spoolAndDeliver = async (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    current: SessionState,
    paths: readonly string[],
  ): Promise<Reply[]> => {
    const reader = new MessageReader(stream, { ...settings.reader, raw: true });
    current.reader = reader;
    const spool = await Spool.fill(reader).catch((error: unknown) => error as Error);
    if (spool instanceof Error) return paths.map(() => replyForError(spool));
    const sender = peer(session, current);
    const signal = current.abort.signal;
    const replies = await Promise.all(
      paths.map(
        (path) =>
          new Promise<Reply>((resolve) => {
            handleMessage(spooled, path, spool.open(), sender, signal, resolve);
          }),
      ),
    );
    await spool.dispose();
    return replies;
  };

  /** Answers DATA once the handlers decided and the message is in whole (552 if it was too large). */
  const answer = (
    stream: SMTPServerDataStream,
    current: SessionState,
    callback: DataCallback,
    replies: Reply | Reply[],
  ): void => {
    afterEnd(stream, () => {
      current.busy--;
      current.reader = undefined;
      let outcome = replies;
      if (stream.sizeExceeded) {
        const tooLarge = replyFor('too_large', `The message is larger than ${limits.maxMessageBytes} bytes`);
        outcome = Array.isArray(replies) ? replies.map(() => tooLarge) : tooLarge;
      }
      if (typeof outcome === 'string' || Array.isArray(outcome)) callback(null, outcome);
      else callback(outcome);
    });
  };

  const authSettings: SessionAuthSettings = {
    authenticate: context.authenticate,
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    maxAuthFailures: limits.maxAuthFailures,
    peer: (session) => peer(session),
    failures: (session) => state(session).authFailures,
  };
  const serverOptions: SMTPServerOptions = {
    ...tlsOptions(url, options),
    name,
    banner: 'Parley',
    lmtp,
    size: limits.maxMessageBytes,
    maxClients: limits.maxConnections,
    maxRecipients: limits.maxRecipients,
    socketTimeout: limits.socketTimeoutMs,
    closeTimeout: limits.closeTimeoutMs,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: context.authenticate === undefined,
    allowInsecureAuth: options.allowInsecureAuth ?? false,
    hideENHANCEDSTATUSCODES: false,
    disableReverseLookup: true,
    logger: context.trace === undefined ? false : traceLogger(context.trace, 'server'),
    disabledCommands: [
      ...(context.authenticate === undefined ? ['AUTH'] : []),
      ...(options.tls?.key === undefined || url.protocol === 'smtps:' ? ['STARTTLS'] : []),
    ],
    onAuth(auth, session, callback) {
      authenticateSession(authSettings, auth, session, callback);
    },
    // Accepting MAIL and RCPT is answered at the end of the event-loop turn (setImmediate, as
    // smtp-server's own defaults do), so the replies of a turn go out together: that costs a
    // loaded server markedly less CPU per message than a write inside every read.
    onMailFrom(_address, _session, callback: Callback) {
      if (accepting) return setImmediate(callback);
      callback(Object.assign(new Error('4.3.2 The server is shutting down'), { responseCode: 421 }));
    },
    onRcptTo(address, session, callback: Callback) {
      let path: string;
      try {
        path = pathOf(state(session), address.address);
      } catch (error) {
        return callback(
          Object.assign(new Error(`5.1.3 ${ParleyError.from(error).message}`), { responseCode: 553 }),
        );
      }
      const check = context.allows('POST', path);
      if (check !== 'ok')
        return callback(replyFor(check, `No mailbox ${address.address} (${path})`) as Error);
      const first = session.envelope.rcptTo[0];
      if (!lmtp && first !== undefined && addressToPath(first.address) !== path) {
        // One request per transaction: a second mailbox waits for a transaction of its own,
        // so the one reply to DATA is that request's own (RFC 5321 section 3.3).
        return callback(tooManyRecipients(address.address));
      }
      setImmediate(callback);
    },
    onData(stream, session, callback) {
      const current = state(session);
      current.busy++;
      const recipients = session.envelope.rcptTo;
      // In SMTP every recipient of a transaction has the same path: one request, one reply.
      if (recipients.length === 1 || !lmtp) {
        const path = pathOf(current, (recipients[0] as { address: string }).address);
        const signal = current.abort.signal;
        current.reader = handleMessage(settings, path, stream, peer(session, current), signal, (reply) =>
          answer(stream, current, callback, lmtp ? [reply] : reply),
        );
        return;
      }
      const paths = recipients.map((recipient) => addressToPath(recipient.address));
      spoolAndDeliver(stream, session, current, paths).then(
        (replies) => answer(stream, current, callback, replies),
        (error: unknown) => answer(stream, current, callback, replyForError(error)),
      );
    },
    onClose(session) {
      const current = sessions.get(session.id);
      if (current === undefined) return;
      sessions.delete(session.id);
      current.abort.abort(new ParleyError('cancelled', 'The SMTP connection closed'));
      current.reader?.fail(new ParleyError('cancelled', 'The client went away before the message ended'));
    },
  };
  const server = new ParleySmtpServer(serverOptions, {
    ...limits,
    greetingDelayMs: limits.earlyTalkerDelayMs,
  });
  server.on('error', () => undefined);
  const port = await listenOn(server, url);
  const listenUrl = `${url.protocol}//${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${port}`;

  const closeIdle = (): void => {
    for (const connection of server.connections) {
      if ((sessions.get(connection.session.id)?.busy ?? 0) > 0) continue;
      connection.send(421, '4.3.2 The server is shutting down');
      connection.close();
    }
  };
  const stopAccepting = async (): Promise<void> => {
    if (!accepting) return;
    accepting = false;
    server.server.close();
  };
  return {
    url: listenUrl,
    stopAccepting,
    async close(deadline) {
      await stopAccepting();
      closeIdle();
      await waitIdle(sessions, deadline, closeIdle);
      for (const state of sessions.values()) {
        state.abort.abort(new ParleyError('unavailable', 'The server closed'));
        state.reader?.fail(new ParleyError('unavailable', 'The server closed'));
      }
      for (const connection of server.connections) {
        connection.close();
        connection._socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
