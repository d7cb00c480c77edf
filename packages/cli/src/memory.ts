import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How many bytes of a transfer pass between two collections. */
const RECLAIM_BYTES = 4 * 1024 * 1024;

type Collect = (options: { type: 'major' }) => void;

let collect: Collect | undefined;

/**
 * Settings for the `parley` process (the command only; embedding `runCli` changes nothing):
 *
 * - WebAssembly compiles with V8's baseline compiler only. The HTTP client parses with llhttp in
 *   WebAssembly; optimising it costs about 35 MB of peak memory and pays off only over thousands
 *   of responses, while one command parses a few response heads (bodies pass through untouched).
 * - Bulk transfers collect their garbage as they go (see {@link reclaimer}).
 */
export function tuneProcessForTransfers(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as Collect;
}

/**
 * A byte counter for a bulk transfer that runs a collection every 4 MiB, or undefined unless
 * {@link tuneProcessForTransfers} ran. Each socket or file read makes a new buffer, garbage as
 * soon as it is written on; V8 frees such buffers only when it collects, which a transfer (much
 * memory outside the heap, little JavaScript garbage) triggers only once tens of megabytes have
 * piled up. A young-generation collection is not enough: the chunks in flight when it runs
 * survive into the old generation. A full collection of the command's small heap takes well
 * under a millisecond (about 0.1 s of CPU per GiB) and keeps the process at a steady size.
 */
export function reclaimer(): ((bytes: number) => void) | undefined {
  const run = collect;
  if (run === undefined) return undefined;
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < RECLAIM_BYTES) return;
    since = 0;
    run({ type: 'major' });
  };
}
