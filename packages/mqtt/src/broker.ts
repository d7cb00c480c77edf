import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import type { Authenticate } from '@parley/core';
import { Aedes, type AuthenticateError } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';

/** Options of {@link startBroker}. */
export interface StartBrokerOptions {
  /** The MQTT (TCP) port. Default: 1883; 0 picks a free port. */
  port?: number;
  /** The address to listen on. Default: `127.0.0.1`. */
  host?: string;
  /** A WebSocket port too, so a browser page can connect (0 picks a free one). Default: none. */
  wsPort?: number;
  /** Checks the CONNECT user name and password of every client. Default: everyone may connect. */
  authenticate?: Authenticate;
}

/** A running embedded broker. */
export interface Broker {
  /** `mqtt://host:port`: append `/<service-prefix>` for {@link mqtt}. */
  readonly url: string;
  /** `ws://host:port` when a WebSocket port was asked for. */
  readonly wsUrl: string | undefined;
  /** Disconnects every client and frees the ports. */
  close(): Promise<void>;
}

/**
 * Starts an embedded MQTT 3.1.1 broker (aedes) in this process: the zero-setup default for
 * examples and tests. It has no shared subscriptions, so every server instance on it gets every
 * request: run one instance per service on it, or use an MQTT 5 broker to scale out.
 *
 * @example
 * ```ts
 * const broker = await startBroker({ port: 0 });
 * await server.listen(mqtt(`${broker.url}/notes-service`));
 * ```
 */
export async function startBroker(options: StartBrokerOptions = {}): Promise<Broker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker(
    options.authenticate ? { authenticate: checkWith(options.authenticate) } : {},
  );
  const tcp = createNetServer((socket) => {
    socket.setNoDelay(true);
    aedes.handle(socket);
  });
  const port = await listenOn(tcp, options.port ?? 1883, host);
  let http: HttpServer | undefined;
  let wsUrl: string | undefined;
  if (options.wsPort !== undefined) {
    http = createHttpServer();
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (socket, request) => aedes.handle(createWebSocketStream(socket), request));
    wsUrl = `ws://${hostForUrl(host)}:${await listenOn(http, options.wsPort, host)}`;
  }
  return {
    url: `mqtt://${hostForUrl(host)}:${port}`,
    wsUrl,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await Promise.all([closeServer(tcp), http && closeServer(http)]);
    },
  };
}

function checkWith(authenticate: Authenticate) {
  return (
    client: { id: string },
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void => {
    const refuse = (): void => {
      const error = Object.assign(new Error('Bad user name or password'), {
        returnCode: 4,
      }) as AuthenticateError;
      done(error, false);
    };
    if (username === undefined) {
      refuse();
      return;
    }
    Promise.resolve(
      authenticate(
        { kind: 'password', username, password: password?.toString() ?? '' },
        { protocol: 'mqtt', address: client.id },
      ),
    ).then(
      (principal) => (principal ? done(null, true) : refuse()),
      () => refuse(),
    );
  };
}

function listenOn(server: NetServer | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: NetServer | HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ('closeAllConnections' in server) server.closeAllConnections();
  });
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
