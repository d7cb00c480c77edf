import { ParleyError, type Principal } from '@parley/core';
import { FtpFailure } from '../failure.js';
import type { Session } from '../session.js';
import { delay } from '../wait.js';
import type { CommandTable } from './command.js';

/** `USER`, `PASS`: always 331 for a user name; a delay after each refusal; 421 after too many. */
export const LOGIN_COMMANDS: CommandTable = {
  USER: {
    public: true,
    needsArg: true,
    run(session, arg) {
      if (session.shared.options.requireTls && !session.tlsActive) {
        return session.reply(534, 'Policy requires TLS: use AUTH TLS first');
      }
      session.user = arg;
      session.loggedIn = false;
      session.principal = undefined;
      session.reply(331, 'Password required');
    },
  },
  PASS: {
    public: true,
    async run(session, arg) {
      const user = session.user;
      if (user === undefined) return session.reply(503, 'Login with USER first');
      if (session.loggedIn) return session.reply(230, 'Already logged in');
      const principal = await check(session, user, arg);
      if (principal !== null) {
        session.logIn(principal === true ? undefined : principal);
        return session.reply(230, 'Login successful');
      }
      session.user = undefined;
      session.failedLogins++;
      await delay(session.shared.options.loginFailureDelayMs, session.signal);
      if (session.failedLogins >= session.shared.options.maxLoginAttempts) {
        session.reply(421, 'Too many failed logins, closing the connection');
        session.control.end();
        return;
      }
      session.reply(530, 'Login incorrect');
    },
  },
};

/**
 * The principal, `true` for an accepted anonymous login, or `null` when refused (a hook that
 * throws refuses too, and its failure is reported). An address the server's throttle holds back
 * (`too_many_requests`) gets 421 and the connection closes.
 */
async function check(session: Session, username: string, password: string): Promise<Principal | true | null> {
  const authenticate = session.shared.options.authenticate ?? session.shared.context.authenticate;
  if (authenticate === undefined) return session.shared.options.anonymous ? true : null;
  try {
    const peer = { protocol: 'ftp', address: session.address };
    return (await authenticate({ kind: 'password', username, password }, peer)) ?? null;
  } catch (error) {
    if (error instanceof ParleyError && error.status === 'too_many_requests') {
      const seconds = Math.ceil((error.retryAfterMs ?? 1000) / 1000);
      throw new FtpFailure(421, `Too many failed logins from your address: try again in ${seconds} s`);
    }
    // A hook that fails refuses the login; the failure is reported, not lost.
    session.report(error, 'PASS');
    return null;
  }
}
