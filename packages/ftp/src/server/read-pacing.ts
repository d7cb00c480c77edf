/**
 * How long a fast upload's data connection stops reading after a read that drained it (1 ms).
 * A client sends in chunks (64 KiB from a file stream), and each one that arrives wakes a
 * process waiting for it: reading as soon as the socket is readable makes one wake-up, one read
 * and one file write per chunk, and on a busy machine each wake-up costs more than the bytes it
 * brings. Paused, the socket goes on receiving in the kernel (its receive window grows to
 * megabytes), and the next read takes what a millisecond brought: about 300 to 450 KiB at the
 * rate of the benchmark's uploads, so four to six times fewer wake-ups, reads and writes.
 */
export const READ_PAUSE_MS = 1;

/**
 * Bytes an upload receives before its reads are paced (1 MiB): a small upload is never held
 * back, and a large one has let the receive window grow by then.
 */
export const PACED_AFTER_BYTES = 1024 * 1024;
