import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { formatTraceEvent, type Trace, type TraceEvent } from '@parley/core';
import { visible } from './visible.js';

/** Where the wire dialogue goes: `-v` to stderr, `--trace FILE` with payload bytes. */
export interface Tracer {
  /** The hook given to the client or server; undefined when nothing is traced. */
  readonly trace: Trace | undefined;
  /** Whether payload bytes are wanted (`--trace FILE`): the command then traces bodies too. */
  readonly payloads: boolean;
  /** Flushes and closes the trace file. */
  close(): Promise<void>;
}

/**
 * The permissions a new trace file is created with: its owner's alone (an existing file keeps
 * its own). The file holds every payload byte, which `-v` leaves out.
 */
const TRACE_FILE_MODE = 0o600;

/** Makes the tracer of `-v` (to `stderr`) and `--trace FILE` (`-`: to `stdout`, as curl). */
export function createTracer(
  verbose: boolean,
  traceFile: string | undefined,
  stderr: Writable,
  stdout: Writable,
): Tracer {
  const file: WriteStream | undefined =
    traceFile === undefined
      ? undefined
      : traceFile === '-'
        ? undefined
        : // Readable by its owner only: it holds every byte sent and received (bodies, cookies).
          createWriteStream(traceFile, { mode: TRACE_FILE_MODE }).on('error', (error) => {
            stderr.write(`parley: cannot write the trace: ${error.message}\n`);
          });
  const toStdout = traceFile === '-';
  if (!verbose && traceFile === undefined)
    return { trace: undefined, payloads: false, close: async () => {} };
  const trace: Trace = (event) => {
    // The peer's words, made safe to print: -v writes them to the terminal.
    const line = visible(formatTraceEvent(event));
    if (verbose) stderr.write(`${line}\n`);
    if (file !== undefined || toStdout) {
      const text = `${new Date().toISOString()} ${line}${event.bytes === undefined ? '' : ` (${event.bytes} bytes)`}\n${dump(event)}`;
      if (file !== undefined) file.write(text);
      else stdout.write(text);
    }
  };
  return {
    trace,
    payloads: traceFile !== undefined,
    close: () => new Promise((resolve) => (file === undefined ? resolve() : file.end(resolve))),
  };
}

/** The payload as a hex dump: offset, 16 bytes in hex, the same as text. */
function dump(event: TraceEvent): string {
  const payload = event.payload;
  if (payload === undefined || payload.byteLength === 0) return '';
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  let text = '';
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = [...row].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row]
      .map((byte) => (byte >= 32 && byte < 127 ? String.fromCharCode(byte) : '.'))
      .join('');
    text += `${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}\n`;
  }
  return text;
}
