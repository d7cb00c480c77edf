import type { Socket } from 'node:net';
import { ParleyError } from '@parley/core';
import { DrainTracker } from '@parley/core/transport';
import type { DataChannel } from './data-channel.js';
import { FtpFailure, isInternal, transferFailure } from './failure.js';
import { delay, nextPoll } from './wait.js';

/** What a session gives its transfers: replies, its lifetime, and how uploads are confirmed. */
export interface TransferHost {
  /** Sends a one-line reply on the control connection. */
  reply(code: number, text: string): void;
  /** Ends the control connection (after a `421`). */
  endControl(): void;
  /** Whether the control connection is closed and the session released. */
  isClosed(): boolean;
  /** Whether transfers must be protected now (`requireTls` without `PROT P`). */
  mustProtect(): boolean;
  /** Aborts when the control connection closes or the listener cuts everything off. */
  readonly signal: AbortSignal;
  /** Aborts when the client ends the control connection (or it is gone). */
  readonly controlEnd: AbortSignal;
  /** How long the control connection must outlive an upload's data connection, in ms. */
  readonly uploadConfirmMs: number;
  /** Reports a failure of the server or its handler (the reply only says `Internal error`). */
  report(error: unknown): void;
}

/** A transfer under way: its abort controller and whether `ABOR` asked for the abort. */
interface Exchange {
  readonly controller: AbortController;
  userAborted: boolean;
  replied: boolean;
  /** The data connection once open, and which way the bytes go. */
  data?: { readonly socket: Socket; readonly direction: 'send' | 'receive' } | undefined;
}

/**
 * The data side of one FTP session: the prepared data channel and the one transfer under way,
 * with `ABOR` (exactly `426` then `226`), a lost data connection, and the confirmation that
 * an upload is complete.
 */
export class Transfers {
  readonly #host: TransferHost;
  readonly #inFlight = new DrainTracker();
  #channel: DataChannel | undefined;
  #exchange: Exchange | undefined;

  constructor(host: TransferHost) {
    this.#host = host;
  }

  /** Whether a transfer is under way. */
  get running(): boolean {
    return this.#exchange !== undefined;
  }

  /** Resolves once no transfer is under way, or when `deadline` aborts. */
  drained(deadline: AbortSignal): Promise<void> {
    return this.#inFlight.drained(deadline);
  }

  /** Replaces the prepared data channel (`PASV`, `EPSV`, `PORT`, `EPRT`), closing the previous one. */
  prepare(channel: DataChannel | undefined): void {
    this.#channel?.close();
    this.#channel = channel;
  }

  /** Takes the prepared data channel for one transfer; 425 when there is none, 521 when unprotected. */
  take(): DataChannel {
    const channel = this.#channel;
    this.#channel = undefined;
    if (channel === undefined) throw new FtpFailure(425, 'Use PASV or EPSV first');
    if (this.#host.mustProtect()) {
      channel.close();
      throw new FtpFailure(521, 'Data connections must be protected: use PROT P');
    }
    return channel;
  }

  /** Opens the data connection of a transfer: 425 when it cannot be had. */
  async openData(channel: DataChannel, signal: AbortSignal): Promise<Socket> {
    try {
      return await channel.open(signal);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new FtpFailure(425, `Cannot open data connection: ${ParleyError.from(error).message}`);
    }
  }

  /**
   * Runs one transfer on a data channel: the signal aborts on `ABOR`, on loss of the control
   * connection and at the close deadline; the channel is released on every path.
   */
  async run(channel: DataChannel, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const host = this.#host;
    const exchange: Exchange = { controller: new AbortController(), userAborted: false, replied: false };
    this.#exchange = exchange;
    const done = this.#inFlight.enter();
    // One controller aborted by the session's end too (`AbortSignal.any` would track the pair
    // through weak references and a finalization registry, once per transfer).
    const signal = exchange.controller.signal;
    const onSessionEnd = (): void => exchange.controller.abort(host.signal.reason);
    if (host.signal.aborted) onSessionEnd();
    else host.signal.addEventListener('abort', onSessionEnd, { once: true });
    try {
      await work(signal);
    } catch (error) {
      if (!exchange.userAborted && !host.isClosed()) {
        const reply = signal.aborted ? { code: 426, text: 'Transfer aborted' } : transferFailure(error);
        if (!signal.aborted && isInternal(error)) host.report(error);
        host.reply(reply.code, reply.text);
        if (reply.code === 421) host.endControl();
      }
    } finally {
      host.signal.removeEventListener('abort', onSessionEnd);
      channel.close();
      this.#exchange = undefined;
      if (exchange.userAborted) {
        host.reply(426, 'Transfer aborted');
        host.reply(226, 'ABOR command successful');
      }
      done();
    }
  }

  /**
   * Aborts the running transfer's request when its data connection closes before the bytes of
   * `direction` are all through.
   */
  watchData(socket: Socket, direction: 'send' | 'receive'): void {
    const exchange = this.#exchange;
    if (exchange === undefined) return;
    exchange.data = { socket, direction };
    socket.once('close', () => {
      // A download is through only once its final reply is sent (`writableFinished` is not
      // reliable on a socket destroyed by the peer).
      const through = direction === 'receive' && socket.readableEnded;
      if (through || exchange.replied) return;
      exchange.controller.abort(new ParleyError('cancelled', 'The data connection was lost'));
    });
  }

  /**
   * Resolves when the control connection is still open `uploadConfirmMs` after an upload's data
   * connection ended, and once more I/O has been polled; rejects with `cancelled` when it closed
   * meanwhile. An upload commits only after this: a client that dies mid-upload closes its data
   * and control connections together (in either order, a few milliseconds apart at most), and the
   * end of the data connection, seen first, must not pass for a complete upload.
   */
  async confirmUpload(): Promise<void> {
    const host = this.#host;
    await delay(host.uploadConfirmMs, host.controlEnd);
    await nextPoll();
    if (host.controlEnd.aborted || host.isClosed()) {
      throw new ParleyError('cancelled', 'The control connection closed before the upload was confirmed');
    }
  }

  /**
   * Marks the final reply of the running transfer as about to be sent (a later `ABOR` finds
   * nothing). Throws when `ABOR` came first: `ABOR` then has the only replies, 426 and 226.
   */
  finish(): void {
    const exchange = this.#exchange;
    if (exchange === undefined) return;
    if (exchange.userAborted) throw ParleyError.from(exchange.controller.signal.reason);
    exchange.replied = true;
  }

  /**
   * What `STAT` says during a transfer (RFC 959: the status of the operation in progress), or
   * `undefined` when none is under way.
   */
  status(): string | undefined {
    const exchange = this.#exchange;
    if (exchange === undefined) return undefined;
    const data = exchange.data;
    if (data === undefined) return 'Transfer in progress: 0 bytes so far, waiting for the data connection';
    const bytes = data.direction === 'send' ? data.socket.bytesWritten : data.socket.bytesRead;
    return `Transfer in progress: ${bytes} bytes ${data.direction === 'send' ? 'sent' : 'received'} so far`;
  }

  /** `ABOR`: aborts the transfer under way; true when there was one. */
  abort(): boolean {
    const exchange = this.#exchange;
    if (exchange === undefined || exchange.replied) return false;
    exchange.userAborted = true;
    exchange.controller.abort(new ParleyError('cancelled', 'Transfer aborted by the client'));
    return true;
  }
}
