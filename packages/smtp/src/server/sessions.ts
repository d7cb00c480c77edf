import { ParleyError, type Peer, type Principal } from '@parley/core';
import type { SMTPServerSession } from 'smtp-server';
import { addressToPath } from '../address.js';
import type { MessageReader } from './message-reader.js';

/** What the listener keeps of one SMTP connection. */
export class SessionState {
  /** Aborts the signal of the session's requests when the connection goes. */
  readonly abort = new AbortController();
  /** Messages of the session being handled (0 or 1). */
  busy = 0;
  /** The reader of the message in DATA, failed when the connection goes. */
  reader: MessageReader | undefined;
  /** Failed or throttled AUTH attempts on this connection. */
  readonly authFailures = { count: 0 };
  #peer: Peer | undefined;
  #address: string | undefined;
  #path: string | undefined;
  /** Fires `dataTimeoutMs` after the session's last DATA (see {@link SessionState.watchData}). */
  #dataTimer: ReturnType<typeof setTimeout> | undefined;

  /** The peer of the session's requests, made again when the principal changes. */
  peer(session: SMTPServerSession): Peer {
    const principal = session.user as Principal | undefined;
    if (this.#peer === undefined || this.#peer.principal !== principal) this.#peer = peerOf(session);
    return this.#peer;
  }

  /** The path of a recipient, remembered from RCPT TO for the DATA that follows. */
  pathOf(address: string): string {
    if (address !== this.#address) {
      this.#path = addressToPath(address);
      this.#address = address;
    }
    return this.#path as string;
  }

  /**
   * Starts the deadline of the message that DATA has just begun: `late` is called `ms` later if
   * a message of the session is still in flight then. One timer per session serves all its
   * messages, restarted by each DATA: the deadline is always the last DATA's, and a message
   * answered in time needs no timer of its own.
   */
  watchData(ms: number, late: (state: SessionState) => void): void {
    if (this.#dataTimer !== undefined) this.#dataTimer.refresh();
    else this.#dataTimer = setTimeout(() => this.busy > 0 && late(this), ms).unref();
  }

  /** Aborts the session's requests and fails the message it is reading. */
  end(reason: ParleyError, readerReason: ParleyError = reason): void {
    clearTimeout(this.#dataTimer);
    this.#dataTimer = undefined;
    this.abort.abort(reason);
    this.reader?.fail(readerReason);
  }
}

/** The peer of a session: its client's address and principal. */
export function peerOf(session: SMTPServerSession): Peer {
  return {
    protocol: 'smtp',
    address: session.remoteAddress,
    principal: session.user as Principal | undefined,
  };
}

/** The listener's sessions by id, made on first use and dropped when the connection closes. */
export class Sessions {
  readonly #byId = new Map<string, SessionState>();

  /** The state of a session, made when it has none yet. */
  of(session: SMTPServerSession): SessionState {
    let found = this.#byId.get(session.id);
    if (found === undefined) {
      found = new SessionState();
      this.#byId.set(session.id, found);
    }
    return found;
  }

  /** Whether `state` is the state of the session with this id. */
  holds(id: string, state: SessionState): boolean {
    return this.#byId.get(id) === state;
  }

  /** Whether the session with this id has a message in flight. */
  isBusy(id: string): boolean {
    return (this.#byId.get(id)?.busy ?? 0) > 0;
  }

  /** Forgets a closed session and ends its work: its requests are cancelled. */
  closed(session: SMTPServerSession): void {
    const state = this.#byId.get(session.id);
    if (state === undefined) return;
    this.#byId.delete(session.id);
    state.end(
      new ParleyError('cancelled', 'The SMTP connection closed'),
      new ParleyError('cancelled', 'The client went away before the message ended'),
    );
  }

  /** Ends the work of every session (the server closed). */
  endAll(reason: ParleyError): void {
    for (const state of this.#byId.values()) state.end(reason);
  }
}
