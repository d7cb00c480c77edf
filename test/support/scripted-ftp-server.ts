import { createServer, type Server, type Socket } from 'node:net';

/** How a scripted server answers one command: the control socket, the argument, the data port. */
export type CommandScript = (control: Socket, argument: string, data: DataChannel) => void;

/** The passive data connection of a scripted server: resolves with the client's socket. */
export interface DataChannel {
  readonly socket: Promise<Socket>;
}

/** A scripted FTP server: replies to the login and the usual settings, then as `script` says. */
export interface ScriptedFtpServer {
  readonly url: string;
  close(): Promise<void>;
}

const USUAL: Record<string, string> = {
  USER: '331 password please',
  PASS: '230 logged in',
  TYPE: '200 ok',
  FEAT: '211-features\r\n EPSV\r\n211 end',
  OPTS: '200 ok',
  PWD: '257 "/"',
  CWD: '250 ok',
  QUIT: '221 bye',
};

/** Options of {@link startScriptedFtpServer}. */
export interface ScriptedFtpOptions {
  /**
   * The IPv4 address PASV replies name, as a server behind NAT names its private one (the data
   * port still listens on 127.0.0.1). Default: 127.0.0.1.
   */
  readonly passiveAddress?: string;
}

/**
 * Starts an FTP server on 127.0.0.1 that answers the login and settings as servers usually do,
 * opens a passive data port on EPSV and PASV, and answers other commands by `script` (502 when
 * it has none): a peer that misbehaves exactly where a test wants it to.
 */
export async function startScriptedFtpServer(
  script: Record<string, CommandScript>,
  options: ScriptedFtpOptions = {},
): Promise<ScriptedFtpServer> {
  const passiveHost = (options.passiveAddress ?? '127.0.0.1').replaceAll('.', ',');
  const sockets = new Set<Socket>();
  const servers = new Set<Server>();
  const control = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.write('220 ready\r\n');
    let data: DataChannel = { socket: new Promise(() => {}) };
    let pending = '';
    socket.on('data', async (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n'); end >= 0; end = pending.indexOf('\r\n')) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const space = line.indexOf(' ');
        const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
        const argument = space < 0 ? '' : line.slice(space + 1);
        const own = script[verb];
        if (own !== undefined) own(socket, argument, data);
        else if (verb === 'EPSV' || verb === 'PASV') {
          const opened = await openData(sockets, servers);
          data = opened.channel;
          const port = opened.port;
          socket.write(
            verb === 'EPSV'
              ? `229 passive (|||${port}|)\r\n`
              : `227 passive (${passiveHost},${port >> 8},${port & 255})\r\n`,
          );
        } else socket.write(`${USUAL[verb] ?? '502 not implemented'}\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const address = control.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `ftp://user:secret@127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      for (const server of servers) server.close();
      await new Promise<void>((resolve) => control.close(() => resolve()));
    },
  };
}

/** Opens a one-connection passive data port. */
async function openData(
  sockets: Set<Socket>,
  servers: Set<Server>,
): Promise<{ channel: DataChannel; port: number }> {
  let accept: (socket: Socket) => void = () => {};
  const socket = new Promise<Socket>((resolve) => {
    accept = resolve;
  });
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    server.close();
    accept(client);
  });
  servers.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { channel: { socket }, port };
}
