import { createServer, type Socket } from 'node:net';

/** A TCP server on the loopback that answers each connection's first bytes by hand. */
export interface RawServer {
  /** `http://127.0.0.1:<port>` (any scheme's clients can be pointed at its port). */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and cuts the connections still open. */
  close(): Promise<void>;
}

/**
 * Starts a server that calls `answer` with each connection's socket and the first bytes the
 * client sent, to play a peer that misbehaves on purpose (a cut body, an empty reply...).
 * Socket errors (the client going away) are ignored.
 */
export function startRawServer(answer: (socket: Socket, request: Buffer) => void): Promise<RawServer> {
  return startTalkingServer((socket) => socket.once('data', (request) => answer(socket, request)));
}

/**
 * Starts a server that calls `talk` with each new connection, for peers that speak first (an FTP
 * or SMTP greeting). Socket errors (the client going away) are ignored.
 */
export async function startTalkingServer(talk: (socket: Socket) => void): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    talk(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A server that accepts connections, reads them and never answers. */
export interface SilentServer extends RawServer {
  /** Resolves once the first connection to it has closed. */
  readonly firstClosed: Promise<void>;
}

/** Starts a server that accepts and never answers: a peer stuck before its greeting or handshake. */
export async function startSilentServer(): Promise<SilentServer> {
  let ended = (): void => {};
  const firstClosed = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const server = await startTalkingServer((socket) => {
    socket.resume();
    socket.once('close', ended);
  });
  return { ...server, firstClosed };
}
