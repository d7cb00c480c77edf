import type { Socket } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import { type ChunkFiller, ParleyError } from '@parley/core';
import { type Client as BasicClient, FTPError, type FTPResponse, type TaskResolver } from 'basic-ftp';
import { pour } from './pour.js';

/** The FTP commands that upload a body: store (replace) or append. */
export type UploadCommand = 'STOR' | 'APPE';

/**
 * Streams `source` to `path` with STOR or APPE over a passive data connection.
 *
 * Unlike a plain pipe, a data connection the server cuts off (for instance because the body
 * is over its size limit) does not end the exchange: the server's reply (`552`) decides it,
 * so the caller gets the server's answer rather than a socket error. A failing `source`
 * closes the connection and rejects with the source's error. A `source` given as a
 * {@link ChunkFiller} is written from a few reused buffers (see {@link pour}).
 */
export async function upload(
  client: BasicClient,
  command: UploadCommand,
  path: string,
  source: Readable | ChunkFiller,
): Promise<FTPResponse> {
  await client.prepareTransfer(client.ftp);
  const context = client.ftp;
  let resolver: TaskResolver | undefined;
  let started = false;
  let dataDone = false;
  let dataError: Error | undefined;
  let reply: FTPResponse | undefined;
  let sourceError: Error | undefined;
  let socketFailed = false;
  // The source's own failure, not one the pipeline passes back to it from the data connection.
  const onSourceError = (error: Error): void => {
    if (!socketFailed) sourceError = error;
  };
  if (typeof source !== 'function') source.once('error', onSourceError);

  const settle = (): void => {
    if (resolver === undefined || reply === undefined || !dataDone) return;
    context.dataSocket = undefined;
    if (dataError !== undefined) resolver.reject(dataError);
    else resolver.resolve(reply);
  };
  const onDataEnd = (error: Error | null | undefined): void => {
    if (sourceError !== undefined) {
      context.closeWithError(sourceError);
      return;
    }
    dataDone = true;
    if (error) dataError = error;
    // The control connection watches for the final reply again.
    context.socket.setTimeout(context.timeout);
    settle();
  };
  const start = (socket: Socket): void => {
    // During the transfer only the data connection's inactivity counts.
    context.socket.setTimeout(0);
    socket.removeAllListeners('error');
    socket.removeAllListeners('close');
    socket.removeAllListeners('timeout');
    const failed = (): void => {
      socketFailed = true;
    };
    socket.on('error', failed);
    socket.once('close', failed);
    socket.setTimeout(context.timeout);
    context.log(`Uploading to ${socket.remoteAddress}:${socket.remotePort}`);
    socket.once('timeout', () =>
      context.closeWithError(new ParleyError('timeout', 'The data connection timed out')),
    );
    if (typeof source === 'function') pour(source, socket, onDataEnd, onSourceError);
    else pipeline(source, socket, onDataEnd);
  };

  return context.handle(`${command} ${path}`, (response, task) => {
    resolver = task;
    if (response instanceof FTPError) {
      context.dataSocket = undefined;
      task.reject(response);
    } else if (response instanceof Error) {
      task.reject(sourceError ?? response);
    } else if (response.code === 150 || response.code === 125) {
      if (started) return;
      started = true;
      const socket = context.dataSocket;
      if (socket === undefined) {
        task.reject(new ParleyError('unavailable', 'The server started an upload without a data connection'));
      } else if (socket instanceof TLSSocket && socket.getCipher() === undefined) {
        socket.once('secureConnect', () => start(socket));
      } else {
        start(socket);
      }
    } else if (response.code >= 200 && response.code < 300) {
      reply = response;
      settle();
    } else if (response.code >= 300 && response.code < 400) {
      context.closeWithError(
        new ParleyError('unavailable', `Unexpected reply during an upload: ${response.message}`),
      );
    }
  });
}
