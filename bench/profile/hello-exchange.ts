import type { Socket } from 'node:net';

const REQUEST = 'GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/**
 * Sends `count` pipelined `GET /hello` and resolves with the bytes received once `count * size`
 * came (every answer of a hello server has the same size: its date has a fixed width), or after
 * the first chunk when `size` is not known yet.
 */
export function helloExchange(socket: Socket, count: number, size: number | undefined): Promise<number> {
  return new Promise((done) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (size === undefined || received >= count * size) {
        socket.off('data', onData);
        done(received);
      }
    };
    socket.on('data', onData);
    socket.write(REQUEST.repeat(count));
  });
}
