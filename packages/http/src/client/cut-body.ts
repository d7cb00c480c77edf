import { Readable } from 'node:stream';

/**
 * The body of an answer whose connection failed while its bytes were being gathered: it yields
 * the bytes that came, then fails with `error`, as a streamed body cut at the same point does. A
 * body nobody reads keeps its error for a later reader instead of throwing it as uncaught.
 */
export function cutBody(chunks: readonly Buffer[], error: Error): Readable {
  let next = 0;
  const stream = new Readable({
    read() {
      const chunk = chunks[next++];
      if (chunk !== undefined) this.push(chunk);
      else this.destroy(error);
    },
  });
  stream.on('error', () => {});
  return stream;
}
