import type { Readable } from 'node:stream';
import { ParleyError } from '@parley/core';
import type { SMTPServer, SMTPServerOptions } from 'smtp-server';
import type { SmtpOptions } from '../options.js';

/** The options object without its `undefined` entries, to spread over defaults. */
export function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The refusal of bad credentials: 535 5.7.8. */
export function authFailure(): Error {
  return Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 });
}

/** The refusal of AUTH on a clear connection: 538 5.7.11. */
export function encryptionRequired(): Error {
  return Object.assign(new Error('5.7.11 Encryption required: use STARTTLS first'), { responseCode: 538 });
}

/** TLS settings of the server: implicit TLS for `smtps://`, certificates for STARTTLS. */
export function tlsOptions(url: URL, options: SmtpOptions): SMTPServerOptions {
  const secure = url.protocol === 'smtps:';
  if (secure && (options.tls?.key === undefined || options.tls.cert === undefined)) {
    throw new ParleyError('bad_request', 'smtps:// needs tls.key and tls.cert');
  }
  return { ...options.tls, secure };
}

/** Listens on the URL's host and port; resolves with the real port. */
export function listenOn(server: SMTPServer, url: URL): Promise<number> {
  const defaultPort = url.protocol === 'smtps:' ? 465 : 25;
  const port = url.port === '' ? defaultPort : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(ParleyError.from(error));
    server.server.once('error', onError);
    server.listen(port, host, () => {
      server.server.off('error', onError);
      const address = server.server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Waits until no session has a message in flight, or the deadline passes, calling `tick` as it polls. */
export async function waitIdle(
  sessions: ReadonlyMap<string, { busy: number }>,
  deadline: AbortSignal,
  tick: () => void,
): Promise<void> {
  const busy = (): boolean => [...sessions.values()].some((state) => state.busy > 0);
  while (busy() && !deadline.aborted) {
    tick();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs `then` once the stream has ended or closed: at once when it already has (the usual
 * case, the handler read the whole message), else after draining what is left of it.
 */
export function afterEnd(stream: Readable, then: () => void): void {
  if (stream.readableEnded || stream.destroyed) {
    then();
    return;
  }
  let called = false;
  const once = (): void => {
    if (called) return;
    called = true;
    then();
  };
  stream.once('end', once);
  stream.once('close', once);
  if (stream.readableFlowing !== true) stream.resume();
}
