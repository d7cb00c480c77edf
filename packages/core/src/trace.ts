import { printable } from './printable.js';

/**
 * Tracing: what travels on the wire, as transports see it. A transport given a {@link Trace}
 * (through `createClient(transport, { trace })` or `createServer(service, { trace })`) calls it
 * once per protocol line or packet it sends or receives, and for connection events.
 *
 * @example
 * ```ts
 * const client = createClient(ftp('ftp://demo:demo@127.0.0.1:2121'), {
 *   trace: (event) => console.error(formatTraceEvent(event)),
 * });
 * await client.get('/notes/a.txt');
 * // * ftp connected to 127.0.0.1:2121
 * // < ftp 220 Parley FTP server ready
 * // > ftp USER demo
 * // > ftp PASS ****
 * // ...
 * ```
 */

/** Which way a traced event went, seen from the side emitting it; `info` is neither (a connection opened). */
export type TraceDirection = 'send' | 'receive' | 'info';

/** One wire event. */
export interface TraceEvent {
  /** The protocol: `http`, `ftp`, `smtp`, `mqtt`... */
  readonly protocol: string;
  /** Whether a client or a server emitted it. */
  readonly side: 'client' | 'server';
  /** Sent, received, or neither (`info`). */
  readonly direction: TraceDirection;
  /**
   * One readable line: a command or reply line, a request or status line, a header field, a
   * packet summary (`PUBLISH topic=... qos=1 payload=12B`). Secrets are masked (see {@link maskSecrets}).
   */
  readonly summary: string;
  /** The bytes this event stands for on the wire, when known. */
  readonly bytes?: number | undefined;
  /** The bytes themselves, when the transport has them at hand (secrets are never included). */
  readonly payload?: Uint8Array | undefined;
  /** Tells connections apart when there are several (a remote address and port, a client id). */
  readonly connection?: string | undefined;
}

/** Receives wire events. It must not throw and should return quickly: it runs on the I/O path. */
export type Trace = (event: TraceEvent) => void;

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  // Also a line whose first word only starts with PASS (a tab or a typo for the space), after
  // blanks or NULs: a server does not take it as PASS, but it still holds the password.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a NUL before the command is what it skips
  [/^[\s\u0000]*(PASS|ACCT)(?:\S*\s.*|\S+)$/i, '$1 ****'],
  [/^(AUTH\s+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5))\s+.*$/i, '$1 ****'],
  [/^(authorization|proxy-authorization)(\s*:\s*\S+)\s+.*$/i, '$1$2 ****'],
  [/^(authorization|proxy-authorization)\s*:\s*[^\s]+$/i, '$1: ****'],
];

/**
 * Masks the secret in a protocol line: FTP `PASS` (also malformed, as `PASS\tsecret`), SMTP
 * `AUTH PLAIN`/`AUTH LOGIN` responses, HTTP `authorization` fields. Other lines come back unchanged.
 *
 * @param line - one protocol line, sent or received
 * @returns The line with its secret replaced by `****`.
 *
 * @example
 * ```ts
 * maskSecrets('PASS hunter2'); // "PASS ****"
 * ```
 */
export function maskSecrets(line: string): string {
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    if (pattern.test(line)) return line.replace(pattern, replacement);
  }
  return line;
}

/**
 * One line for an event, curl's way: `>` sent, `<` received, `*` information, then the protocol
 * and the summary (`> ftp RETR /a.txt`). A summary quotes what a peer sent: its control,
 * bidirectional and invisible characters are shown as escapes (`printable`), so a peer's line
 * cannot forge another line or send escape sequences to the terminal showing the trace.
 *
 * @param event - the event a transport reported to a `trace` hook
 * @returns The line, without a line end.
 *
 * @example
 * ```ts
 * const server = createServer(router, { trace: (event) => console.error(formatTraceEvent(event)) });
 * // < ftp RETR /notes/a.txt
 * ```
 */
export function formatTraceEvent(event: TraceEvent): string {
  const mark = event.direction === 'send' ? '>' : event.direction === 'receive' ? '<' : '*';
  return printable(`${mark} ${event.protocol} ${event.summary}`);
}
