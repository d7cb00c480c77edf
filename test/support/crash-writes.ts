import type { Response } from '@parley/core';

/** What one writer of a crash test knows: the last step the server acknowledged, and the one in flight. */
export interface StepWriter {
  /** The last step acknowledged (0: none yet). */
  acked: number;
  /** The step sent last, acknowledged or not. */
  inFlight: number;
}

/**
 * Sends step after step (`send(n)` for step n) until `stop.stopped`, counting each in `writer`;
 * a reply other than one of `accepted` throws with its status (the server died under it).
 */
export async function writeSteps(
  writer: StepWriter,
  stop: { readonly stopped: boolean },
  send: (step: number) => Promise<Response>,
  accepted: readonly string[] = ['created', 'ok'],
): Promise<void> {
  while (!stop.stopped) {
    writer.inFlight = writer.acked + 1;
    const response = await send(writer.inFlight);
    if (!accepted.includes(response.status)) throw new Error(response.status);
    writer.acked = writer.inFlight;
  }
}

/**
 * Resolves once `writers` together have `more` steps acknowledged beyond what they have now, or
 * once `done()` (every writer stopped): a moment, varying with `more`, to kill the server at.
 */
export async function untilAcked(
  writers: readonly StepWriter[],
  more: number,
  done: () => boolean,
): Promise<void> {
  const acked = (): number => writers.reduce((sum, writer) => sum + writer.acked, 0);
  const target = acked() + more;
  while (!done() && acked() < target) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** The chunk number `i` appended to a file: its number, then filler of a size that varies. */
export function appendedChunk(i: number): Buffer {
  return Buffer.concat([Buffer.from(`<${i}>`), Buffer.alloc(((i * 31) % 16) * 1024, 0x61 + (i % 26))]);
}

/** What a file holds once chunks 1 to `upTo` were appended to it (see {@link appendedChunk}). */
export function appendedUpTo(upTo: number): Buffer {
  return Buffer.concat(Array.from({ length: upTo }, (_, i) => appendedChunk(i + 1)));
}
