import type { SMTPServerDataStream } from 'smtp-server';

/**
 * Bytes past the size limit that the rest of a refused message may still send (read and thrown
 * away, so that a client that reads no reply before its message ends still gets the `552` after
 * it): 16 MiB, as much as HTTP lingers after a `413`.
 */
export const OVERSIZE_DISCARD_BYTES = 16 * 1024 * 1024;

/**
 * Watches a message being drained after its reply was decided: once more than `maxBytes` plus
 * {@link OVERSIZE_DISCARD_BYTES} of it came, calls `cut` (once), so that a client streaming a
 * message without end is stopped rather than read for as long as it sends.
 */
export function cutWhenOverrun(stream: SMTPServerDataStream, maxBytes: number, cut: () => void): void {
  const bound = maxBytes + OVERSIZE_DISCARD_BYTES;
  if (stream.readableEnded || stream.destroyed || bound === Number.POSITIVE_INFINITY) return;
  const check = (): void => {
    if (stream.byteLength <= bound) return;
    stream.off('data', check);
    cut();
  };
  stream.on('data', check);
}
