import type { Writable } from 'node:stream';

/**
 * Keeps a connection that stops reading from stalling the embedded broker. aedes waits for
 * `drain` when a write fills a connection's buffer, and with deliveries to that connection
 * waiting, those to every other client queue up behind them (until its 60 s drain timeout). So
 * writes to `stream` always report room, and once more than `maxBacklogBytes` wait unsent the
 * connection is closed: its client gets nothing more, the others go on.
 */
export function boundWriteBacklog(stream: Writable, maxBacklogBytes: number): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((...args: unknown[]) => {
    write(...args);
    if (stream.writableLength > maxBacklogBytes) stream.destroy();
    return true;
  }) as Writable['write'];
}
