import { format } from 'node:util';
import { maskSecrets, type Trace } from '@parley/core';

/** The bunyan-like logger nodemailer and smtp-server take. */
export interface TraceLogger {
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  fatal(...args: unknown[]): void;
}

/** Which way each transaction kind of the two libraries' logs went. */
const DIRECTIONS: Readonly<Record<string, 'send' | 'receive' | 'info'>> = {
  client: 'send',
  server: 'receive',
  send: 'send',
  command: 'receive',
  receive: 'receive',
  network: 'info',
  connection: 'info',
};

/**
 * A logger for nodemailer (client side, with `debug: true`) or smtp-server (server side) that
 * sends the SMTP dialogue to a trace: `C:`/`S:` lines, commands and replies, connection notes.
 * Message content (logged line by line by nodemailer) is left out.
 */
export function traceLogger(trace: Trace, side: 'client' | 'server'): TraceLogger {
  const log = (entry: unknown, ...args: unknown[]): void => {
    const tnx = typeof entry === 'object' && entry !== null ? (entry as { tnx?: string }).tnx : undefined;
    const direction = tnx === undefined ? undefined : DIRECTIONS[tnx];
    if (direction === undefined) return;
    const text = format(...args).replace(/^[CS]: /, '');
    const cid = (entry as { cid?: string }).cid;
    for (const line of text.split(/\r?\n/)) {
      if (line === '') continue;
      trace({
        protocol: 'smtp',
        side,
        direction,
        summary: maskSecrets(line),
        bytes: direction === 'info' ? undefined : Buffer.byteLength(line) + 2,
        connection: cid,
      });
    }
  };
  const ignore = (): void => {};
  return { trace: ignore, debug: log, info: log, warn: ignore, error: ignore, fatal: ignore };
}
