import { type Authenticate, ParleyError, type Peer, type Principal } from '@parley/core';
import type {
  SMTPServerAuthentication,
  SMTPServerAuthenticationResponse,
  SMTPServerSession,
} from 'smtp-server';
import { authFailure, encryptionRequired, smtpError } from './helpers.js';
import { replyForError } from './reply.js';

/** What {@link authenticateSession} needs of the listener. */
export interface SessionAuthSettings {
  /** The service's hook (throttled per address by the core server). */
  readonly authenticate: Authenticate | undefined;
  /** Whether AUTH is allowed on a clear connection. */
  readonly allowInsecureAuth: boolean;
  /** Failed or throttled attempts one connection may make; the last one is answered 421 and closes it. */
  readonly maxAuthFailures: number;
  /** The peer of a session. */
  readonly peer: (session: SMTPServerSession) => Peer;
  /** The failures counted so far on a session's connection, and where to count the next. */
  readonly failures: (session: SMTPServerSession) => { count: number };
}

type AuthCallback = (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

/**
 * Answers AUTH PLAIN or LOGIN: `235` and the principal when `authenticate` accepts,
 * `535 5.7.8` when it refuses (or an AUTH PLAIN asks to act as another user), `454 4.7.0`
 * with the wait when the address is throttled (`too_many_requests`), and `421 4.7.0` (closing the connection) once the connection has
 * failed `maxAuthFailures` times.
 */
export function authenticateSession(
  settings: SessionAuthSettings,
  auth: SMTPServerAuthentication,
  session: SMTPServerSession,
  callback: AuthCallback,
): void {
  const authenticate = settings.authenticate;
  const password = auth.password;
  if (authenticate === undefined || typeof password !== 'string') {
    callback(authFailure());
    return;
  }
  if (!session.secure && !settings.allowInsecureAuth) {
    callback(encryptionRequired());
    return;
  }
  const credentials = { kind: 'password' as const, username: auth.username ?? '', password };
  const failed = (reply: Error): void => {
    const counter = settings.failures(session);
    counter.count++;
    const closing = smtpError(421, '4.7.0 Too many failed logins on this connection, closing');
    callback(counter.count < settings.maxAuthFailures ? reply : closing);
  };
  if (actsAsAnother(auth)) {
    failed(
      smtpError(535, '5.7.8 Acting as another user is not allowed: leave the authorization identity empty'),
    );
    return;
  }
  Promise.resolve()
    .then(() => authenticate(credentials, settings.peer(session)))
    .then(
      (principal: Principal | null) =>
        principal ? callback(null, { user: principal }) : failed(authFailure()),
      (error: unknown) => {
        const failure = ParleyError.from(error);
        if (failure.status === 'too_many_requests') failed(throttled(failure));
        else callback(replyForError(error) as Error);
      },
    );
}

/**
 * Whether an AUTH PLAIN asks to act as another user than the one it authenticates (an
 * authorization identity other than none or the authentication identity): RFC 4616 has the
 * server refuse what it does not allow, and nobody may act as another here. An empty
 * authentication identity is the user name of clients that put it in the first field alone.
 */
function actsAsAnother(auth: SMTPServerAuthentication): boolean {
  const { authzid, authcid } = auth as SMTPServerAuthentication & { authzid?: string; authcid?: string };
  return auth.method === 'PLAIN' && !!authzid && !!authcid && authzid !== authcid;
}

/** The reply to an attempt made while the address must wait: 454 4.7.0 with the wait in seconds. */
function throttled(error: ParleyError): Error {
  const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000));
  return smtpError(454, `4.7.0 Too many failed logins from your address, try again in ${seconds} s`);
}
