import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { type ListenContext, type Listener, ParleyError, type Peer, type Principal } from '@parley/core';
import type { SMTPServerDataStream, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { addressToPath } from './address.js';
import { ParleySmtpServer } from './connection-hooks.js';
import { handleMessage } from './handle-message.js';
import type { SmtpOptions } from './options.js';
import { type Reply, replyFor, replyForError } from './reply.js';
import {
  authFailure,
  definedOnly,
  encryptionRequired,
  listenOn,
  tlsOptions,
  waitIdle,
} from './server-helpers.js';
import { limitStream } from './size-limit.js';
import { Spool } from './spool.js';

/** Defaults of the server options (see {@link SmtpOptions}). */
export const SMTP_SERVER_DEFAULTS = {
  maxMessageBytes: 25 * 1024 * 1024,
  maxHeaderBytes: 64 * 1024,
  maxRecipients: 100,
  maxConnections: 1000,
  socketTimeoutMs: 60_000,
  closeTimeoutMs: 1000,
  earlyTalkerDelayMs: 100,
} as const;

interface SessionState {
  readonly abort: AbortController;
  busy: number;
}

type Callback = (error?: Error | null) => void;

/** Starts an SMTP (or LMTP) server for a Parley service. */
export async function listenSmtp(url: URL, options: SmtpOptions, context: ListenContext): Promise<Listener> {
  const limits = { ...SMTP_SERVER_DEFAULTS, ...definedOnly(options) };
  const name = options.name ?? 'localhost';
  const sessions = new Map<string, SessionState>();
  let accepting = true;
  const state = (session: SMTPServerSession): SessionState => {
    let found = sessions.get(session.id);
    if (found === undefined) {
      found = { abort: new AbortController(), busy: 0 };
      sessions.set(session.id, found);
    }
    return found;
  };
  const peer = (session: SMTPServerSession): Peer => ({
    protocol: 'smtp',
    address: session.remoteAddress,
    principal: session.user as Principal | undefined,
  });

  const deliver = async (
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
  ): Promise<Reply | Reply[]> => {
    const paths = session.envelope.rcptTo.map((recipient) => addressToPath(recipient.address));
    const signal = state(session).abort.signal;
    const limited = limitStream(stream, limits.maxMessageBytes, signal);
    const handleOne = (path: string, source: Readable) =>
      handleMessage({
        context,
        path,
        source,
        peer: peer(session),
        signal,
        limits,
        raw: options.rawMessage ?? false,
        name,
      });
    let replies: Reply[];
    if (paths.length === 1) {
      replies = [await handleOne(paths[0] as string, limited)];
    } else {
      const spool = await Spool.fill(limited).catch((error: unknown) => error as Error);
      if (spool instanceof Error) {
        replies = paths.map(() => replyForError(spool));
      } else {
        replies = await Promise.all(paths.map((path) => handleOne(path, spool.open())));
        await spool.dispose();
      }
    }
    stream.unpipe();
    stream.resume();
    await finished(stream).catch(() => undefined);
    if (stream.sizeExceeded) {
      replies = paths.map(() =>
        replyFor('too_large', `The message is larger than ${limits.maxMessageBytes} bytes`),
      );
    }
    if (options.lmtp) return replies;
    return replies.find((reply) => typeof reply !== 'string') ?? (replies[0] as Reply);
  };

  const serverOptions: SMTPServerOptions = {
    ...tlsOptions(url, options),
    name,
    banner: 'Parley',
    lmtp: options.lmtp ?? false,
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
    logger: false,
    disabledCommands: [
      ...(context.authenticate === undefined ? ['AUTH'] : []),
      ...(options.tls?.key === undefined || url.protocol === 'smtps:' ? ['STARTTLS'] : []),
    ],
    onAuth(auth, session, callback) {
      const authenticate = context.authenticate;
      if (authenticate === undefined || typeof auth.password !== 'string') return callback(authFailure());
      if (!session.secure && !options.allowInsecureAuth) return callback(encryptionRequired());
      const credentials = {
        kind: 'password' as const,
        username: auth.username ?? '',
        password: auth.password,
      };
      Promise.resolve(authenticate(credentials, peer(session))).then(
        (principal) => (principal ? callback(null, { user: principal }) : callback(authFailure())),
        (error: unknown) => callback(replyForError(error) as Error),
      );
    },
    onMailFrom(_address, _session, callback: Callback) {
      if (accepting) return callback();
      callback(Object.assign(new Error('4.3.2 The server is shutting down'), { responseCode: 421 }));
    },
    onRcptTo(address, _session, callback: Callback) {
      let path: string;
      try {
        path = addressToPath(address.address);
      } catch (error) {
        return callback(
          Object.assign(new Error(`5.1.3 ${ParleyError.from(error).message}`), { responseCode: 553 }),
        );
      }
      const check = context.allows('POST', path);
      if (check === 'ok') return callback();
      callback(replyFor(check, `No mailbox ${address.address} (${path})`) as Error);
    },
    onData(stream, session, callback) {
      const current = state(session);
      current.busy++;
      deliver(stream, session)
        .then(
          (reply) =>
            typeof reply === 'string' || Array.isArray(reply) ? callback(null, reply) : callback(reply),
          (error: unknown) => callback(replyForError(error) as Error),
        )
        .finally(() => current.busy--);
    },
    onClose(session) {
      sessions.get(session.id)?.abort.abort(new ParleyError('cancelled', 'The SMTP connection closed'));
      sessions.delete(session.id);
    },
  };
  const server = new ParleySmtpServer(serverOptions, limits.earlyTalkerDelayMs);
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
      for (const state of sessions.values())
        state.abort.abort(new ParleyError('unavailable', 'The server closed'));
      for (const connection of server.connections) {
        connection.close();
        connection._socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
