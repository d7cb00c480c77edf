import type { Writable } from 'node:stream';
import { ParleyError } from '@parley/core';
import type { OutputOptions } from './args.js';
import { CliError, EXIT } from './exit.js';
import { Progress } from './progress.js';
import { createTracer, type Tracer } from './tracer.js';
import { visible } from './visible.js';

/** What one run of a command shares: its deadline, tracer, meter and messages. */
export interface Session {
  /** Aborts at `--max-time`. */
  readonly signal: AbortSignal;
  /** `-v` and `--trace`. */
  readonly tracer: Tracer;
  /** Whether transfers show a progress meter (on a terminal, without `-s`). */
  readonly metered: boolean;
  /** A progress meter for a transfer of `total` bytes (shown on a terminal, without `-s`). */
  progress(total: number | undefined): Progress;
  /** Traces body chunks when `--trace FILE` wants payloads; undefined otherwise. */
  traceBody(direction: 'send' | 'receive'): ((chunk: Uint8Array) => void) | undefined;
  /** The error to end with for something thrown: exit 28 once `--max-time` passed. */
  failure(thrown: unknown): unknown;
  /** Writes an error message (not with `-s`, unless `-S`). */
  error(message: string): void;
  /** Writes an informational message (not with `-s`). */
  note(message: string): void;
  /** Stops the deadline and closes the trace file. */
  close(): Promise<void>;
}

/** Starts the session of a command (`--trace -` writes to `stdout`, as curl). */
export function startSession(
  options: OutputOptions,
  stderr: Writable & { isTTY?: boolean },
  stdout: Writable,
): Session {
  const controller = new AbortController();
  const timer =
    options.maxTimeMs === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new ParleyError('timeout', `Timed out after ${options.maxTimeMs} ms`)),
          options.maxTimeMs,
        );
  const tracer = createTracer(options.verbose, options.traceFile, stderr, stdout);
  const meter = !options.silent && stderr.isTTY === true;
  return {
    signal: controller.signal,
    tracer,
    metered: meter,
    progress: (total) => new Progress(stderr, total, meter),
    traceBody(direction) {
      const trace = tracer.trace;
      if (trace === undefined || !tracer.payloads) return undefined;
      return (chunk) =>
        trace({
          protocol: 'body',
          side: 'client',
          direction,
          summary: `${chunk.byteLength} bytes`,
          bytes: chunk.byteLength,
          payload: chunk,
        });
    },
    failure(thrown) {
      if (thrown instanceof CliError) return thrown;
      if (controller.signal.aborted)
        return new CliError(EXIT.timeout, `Timed out after ${options.maxTimeMs} ms`);
      return thrown;
    },
    error(message) {
      if (!options.silent || options.showError) stderr.write(`parley: ${visible(message)}\n`);
    },
    note(message) {
      if (!options.silent) stderr.write(`${message}\n`);
    },
    async close() {
      clearTimeout(timer);
      await tracer.close();
    },
  };
}
