import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { ParleyError } from '@parley/core';

/**
 * Pipes a message stream through a counter that fails with `too_large` past `maxBytes`, and
 * with `cancelled` when `signal` aborts (the client went away), so a reader never hangs.
 * The source itself is left for the caller to drain.
 */
export function limitStream(source: Readable, maxBytes: number, signal: AbortSignal): Readable {
  let seen = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      seen += chunk.byteLength;
      if (seen > maxBytes)
        return done(new ParleyError('too_large', `The message is larger than ${maxBytes} bytes`));
      done(null, chunk);
    },
  });
  const cancel = (): void => {
    limited.destroy(new ParleyError('cancelled', 'The client went away before the message ended'));
  };
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  limited.once('close', () => signal.removeEventListener('abort', cancel));
  source.once('error', (error) => {
    limited.destroy(
      new ParleyError('cancelled', 'The connection closed before the message ended', { cause: error }),
    );
  });
  source.once('close', () => {
    if (!source.readableEnded) cancel();
  });
  return source.pipe(limited);
}
