/**
 * The limit for Node in the FTP benchmark: a bare FTP server with no framework, which pipes
 * `fs.createReadStream` to the data socket for RETR and the data socket to
 * `fs.createWriteStream` for STOR, both with a `highWaterMark` of `chunkBytes`.
 * `bare-server.ts <root> <chunkBytes>` prints `{"port": n}` once listening; exits on SIGTERM.
 *
 * It speaks just enough FTP for basic-ftp in passive mode to log in and move one file: USER,
 * PASS, FEAT, TYPE, STRU, OPTS, EPSV, PASV, RETR, STOR, QUIT (anything else: 502). No checks
 * beyond that: it is a measuring stick, not a server.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, normalize } from 'node:path';
import { pipeline } from 'node:stream/promises';

const [root, chunkArg] = process.argv.slice(2);
if (root === undefined || chunkArg === undefined)
  throw new Error('usage: bare-server.ts <root> <chunkBytes>');
const chunkBytes = Number(chunkArg);

/** A passive listener waiting for the client's one data connection. */
async function openPassive(): Promise<{ port: number; socket: Promise<Socket> }> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const socket = once(server, 'connection').then(([accepted]) => {
    server.close();
    return accepted as Socket;
  });
  return { port, socket };
}

function session(control: Socket): void {
  const reply = (line: string): void => {
    control.write(`${line}\r\n`);
  };
  let data: Promise<Socket> | undefined;
  const transfer = async (work: (socket: Socket) => Promise<void>): Promise<void> => {
    if (data === undefined) return reply('425 Use PASV or EPSV first');
    const socket = await data;
    data = undefined;
    reply('150 Opening data connection');
    try {
      await work(socket);
      reply('226 Transfer complete');
    } catch (error) {
      socket.destroy();
      reply(`451 ${(error as Error).message}`);
    }
  };
  const handle = async (line: string): Promise<void> => {
    const space = line.indexOf(' ');
    const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase();
    const path = join(root as string, normalize(`/${space === -1 ? '' : line.slice(space + 1)}`));
    switch (verb) {
      case 'USER':
        return reply('331 Password please');
      case 'PASS':
        return reply('230 Logged in');
      case 'FEAT':
        return reply('211 No features');
      case 'TYPE':
      case 'STRU':
      case 'OPTS':
        return reply('200 OK');
      case 'EPSV':
      case 'PASV': {
        const passive = await openPassive();
        data = passive.socket;
        if (verb === 'EPSV') return reply(`229 Entering Extended Passive Mode (|||${passive.port}|)`);
        return reply(`227 Entering Passive Mode (127,0,0,1,${passive.port >> 8},${passive.port & 255})`);
      }
      case 'RETR':
        return transfer((socket) => pipeline(createReadStream(path, { highWaterMark: chunkBytes }), socket));
      case 'STOR':
        return transfer((socket) => pipeline(socket, createWriteStream(path, { highWaterMark: chunkBytes })));
      case 'QUIT':
        reply('221 Bye');
        control.end();
        return;
      default:
        return reply('502 Not implemented');
    }
  };
  let pending = '';
  let queue = Promise.resolve();
  control.on('data', (bytes: Buffer) => {
    pending += bytes.toString('latin1');
    for (let end = pending.indexOf('\r\n'); end !== -1; end = pending.indexOf('\r\n')) {
      const line = pending.slice(0, end);
      pending = pending.slice(end + 2);
      queue = queue.then(() => handle(line));
    }
  });
  control.on('error', () => control.destroy());
  reply('220 Bare FTP');
}

const server = createServer(session);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address?.port })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
