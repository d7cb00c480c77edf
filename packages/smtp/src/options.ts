import type { SecureContextOptions } from 'node:tls';

/** Options of {@link smtp}: both sides. Server options are ignored by clients and the reverse. */
export interface SmtpOptions {
  /** Speak LMTP (RFC 2033) instead of SMTP: one reply per recipient after DATA. Default: false. */
  lmtp?: boolean | undefined;
  /** The mail domain of addresses made from paths (`notes@domain`). Default: `localhost`. */
  domain?: string | undefined;
  /** TLS key and certificate (server), or trust settings such as `ca` (client). Default: none. */
  tls?: SecureContextOptions & {
    /** Client: refuse a server certificate that fails verification. Default: true. */
    rejectUnauthorized?: boolean | undefined;
  };

  // server side
  /** The host name the server greets with. Default: `localhost`. */
  name?: string | undefined;
  /**
   * Largest message accepted, in bytes (the whole message as sent, header block included),
   * advertised as SIZE and enforced while DATA streams (552). Default: 25 MiB.
   */
  maxBodyBytes?: number | undefined;
  /** @deprecated The former name of {@link SmtpOptions.maxBodyBytes}; used when that is not given. */
  maxMessageBytes?: number | undefined;
  /** Largest header block of a message, in bytes (554 5.6.0 beyond it). Default: 64 KiB. */
  maxHeaderBytes?: number | undefined;
  /** Most recipients of one message; more get 452 4.5.3. Default: 100. */
  maxRecipients?: number | undefined;
  /**
   * Most connections at once. Server: more are answered `421 4.7.0` and closed (default 1000).
   * Client: the size of its connection pool (default 5).
   */
  maxConnections?: number | undefined;
  /**
   * Most connections at once from one address (an IPv6 /64 counts as one); more are answered
   * `421 4.7.0` and closed. Default: 64.
   */
  maxConnectionsPerAddress?: number | undefined;
  /**
   * Time a connection has, from its arrival, to start its first mail transaction (an accepted
   * `MAIL FROM`), in ms; past it the connection gets `421 4.4.2` and is closed, however many
   * bytes it dripped. 0 turns it off. Default: 30 000.
   */
  firstMailTimeoutMs?: number | undefined;
  /**
   * Time a message has, from `DATA` to its final dot, in ms; past it the connection gets
   * `421 4.4.2` and is closed, and nothing of the message is kept, however many bytes it
   * dripped. 0 turns it off. Default: 600 000 (10 minutes: 25 MiB at 45 KB/s).
   */
  dataTimeoutMs?: number | undefined;
  /**
   * Failed or throttled AUTH attempts one connection may make: the last of them is answered
   * `421 4.7.0` and closes the connection. Default: 3.
   */
  maxAuthFailures?: number | undefined;
  /** Idle time after which a connection (also one stalled mid-DATA) is cut, in ms. Default: 60 000. */
  socketTimeoutMs?: number | undefined;
  /** How long `close()` leaves connections that are still open after the deadline, in ms. Default: 1 000. */
  closeTimeoutMs?: number | undefined;
  /**
   * How long the server waits before its greeting, in ms, to catch clients that talk before
   * they are greeted (they get 421). Every connection pays this once. Default: 100.
   */
  earlyTalkerDelayMs?: number | undefined;
  /** Allow AUTH on a connection that is not encrypted. Default: false. */
  allowInsecureAuth?: boolean | undefined;
  /**
   * Hand the handler the whole RFC 5322 message (header block included) as the request body,
   * instead of the content after the header block. Default: false.
   */
  rawMessage?: boolean | undefined;

  // client side
  /** The sender (envelope and default `From`) when a request has no `from` header. Default: `parley@localhost`. */
  from?: string | undefined;
  /** Time allowed to connect and to get each reply, in ms. Default: 30 000. */
  timeoutMs?: number | undefined;
  /**
   * Upgrade to TLS with STARTTLS (client): `'required'` fails (nothing sent) when the server does
   * not offer it or refuses it; `true` upgrades when offered; `false` never upgrades. Default:
   * `'required'` when `tls` is given or the URL carries a password for a host other than this
   * machine, else upgrade when offered.
   */
  starttls?: boolean | 'required' | undefined;
}
