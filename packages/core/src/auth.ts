/** What a client presented to prove who it is. */
export type Credentials = PasswordCredentials | TokenCredentials;

/** A user name and password (HTTP Basic, FTP USER/PASS, SMTP AUTH, MQTT CONNECT). */
export interface PasswordCredentials {
  /** Discriminates the kinds of {@link Credentials}. */
  readonly kind: 'password';
  /** The user name. */
  readonly username: string;
  /** The password. */
  readonly password: string;
}

/** A bearer token (HTTP `Authorization: Bearer`). */
export interface TokenCredentials {
  /** Discriminates the kinds of {@link Credentials}. */
  readonly kind: 'token';
  /** The token. */
  readonly token: string;
}

/** Who a request was authenticated as. `name` is the user name; the rest is yours. */
export interface Principal {
  /** The authenticated user's name. */
  readonly name: string;
  /** Anything else the {@link Authenticate} hook wants handlers to see. */
  readonly [key: string]: unknown;
}

/**
 * The one authentication hook of a server, fed by HTTP Basic/Bearer, FTP USER/PASS, SMTP AUTH
 * and MQTT credentials. Returns the principal, or `null` to refuse.
 */
export type Authenticate = (
  credentials: Credentials,
  peer: Peer,
) => Principal | null | Promise<Principal | null>;

/** Where a request came from. */
export interface Peer {
  /** The protocol it arrived over: `http`, `ftp`, `smtp`, `mqtt`, `memory`... */
  readonly protocol: string;
  /** The remote address, when the protocol has one. */
  readonly address?: string | undefined;
  /** The authenticated principal, when the request was authenticated. */
  readonly principal?: Principal | undefined;
}
