import type { Socket } from 'node:net';

/** Resolves once `read()` has not changed for `quietMs`. */
export async function settled(read: () => number, quietMs: number): Promise<number> {
  let last = read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = read();
    if (now === last) return now;
    last = now;
  }
}

/**
 * Resumes a paused socket and reads its answers until `count` of them came: the paths their
 * `x-path` fields name (matching `pathPattern`), in order. `onChunk` sees every chunk read.
 */
export function answeredPaths(
  socket: Socket,
  pathPattern: string,
  count: number,
  onChunk: (chunk: Buffer) => void = () => {},
): Promise<string[]> {
  const field = new RegExp(`x-path: (${pathPattern})\\r\\n`, 'g');
  const paths: string[] = [];
  let text = '';
  return new Promise((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      onChunk(chunk);
      const window = text + chunk.toString('latin1');
      let tail = Math.max(0, window.length - 64);
      for (const match of window.matchAll(field)) {
        paths.push(match[1] as string);
        tail = Math.max(tail, match.index + match[0].length);
      }
      text = window.slice(tail);
      if (paths.length === count) resolve(paths);
    });
    socket.resume();
  });
}
