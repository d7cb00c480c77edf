import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How often a transfer collects, by direction: a received chunk is written out at once and dies
 * young, so a young-generation collection every MiB frees it; a sent chunk may wait in the
 * socket's queue while one runs and survive into the old generation, so a full collection
 * every 4 MiB frees those.
 */
const RECLAIM = {
  receive: { bytes: 1024 * 1024, type: 'minor' },
  send: { bytes: 4 * 1024 * 1024, type: 'major' },
} as const;

type Collect = (options: { type: 'minor' | 'major' }) => void;

let collect: Collect | undefined;

/**
 * Settings for the `parley` process (the command only; embedding `runCli` changes nothing):
 *
 * - WebAssembly compiles with V8's baseline compiler only. The HTTP client parses with llhttp in
 *   WebAssembly; optimising it costs about 35 MB of peak memory and pays off only over thousands
 *   of responses, while one command parses a few response heads (bodies pass through untouched).
 * - Bulk transfers collect their garbage as they go (see {@link reclaimer}), and those
 *   collections run on the main thread alone: a young generation of a few objects is scavenged
 *   faster than helper threads are woken and waited for (20 000 futex calls per GiB received,
 *   about 0.3 s of CPU), and the buffers it frees are swept at once rather than by another thread.
 *
 * Node.js compiles its own modules (`http`, `crypto`, `stream`...) from a code cache built into
 * it, which V8 accepts only while the flags that shape code keep their defaults: `--expose-gc`
 * and `--liftoff-only` make it compile every module it loads afterwards from source, which
 * doubled the time of loading the HTTP client's modules. So `--expose-gc` is on only while the
 * collector function is fetched, and `--liftoff-only` is set when undici is about to open its
 * first connection (it compiles llhttp then), once every module a request needs is loaded.
 */
export function tuneProcessForTransfers(): void {
  setFlagsFromString('--no-parallel-scavenge');
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as Collect;
  setFlagsFromString('--no-expose-gc');
  subscribe(UNDICI_CONNECTING, baselineWebAssembly);
}

/** undici's diagnostics channel published before each connection it opens. */
const UNDICI_CONNECTING = 'undici:client:beforeConnect';

function baselineWebAssembly(): void {
  unsubscribe(UNDICI_CONNECTING, baselineWebAssembly);
  setFlagsFromString('--liftoff-only');
}

/**
 * A byte counter for a bulk transfer that runs a garbage collection every few MiB (see
 * `RECLAIM`), or undefined unless {@link tuneProcessForTransfers} ran. Each socket or
 * file read makes a new buffer, garbage as soon as it is written on; V8 frees such buffers only
 * when it collects, which a transfer (much memory outside the heap, little JavaScript garbage)
 * triggers only once tens of megabytes have piled up: a 1 GiB download then peaks at 95 MB
 * instead of 62 MB. A collection of the command's small heap takes about a millisecond at most.
 */
export function reclaimer(direction: 'send' | 'receive'): ((bytes: number) => void) | undefined {
  const run = collect;
  if (run === undefined) return undefined;
  const { bytes: every, type } = RECLAIM[direction];
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < every) return;
    since = 0;
    run({ type });
  };
}
