import type { Writable } from 'node:stream';
import { ParleyError, type TransportContract } from '@parley/core';
import { type Command, parseCommand } from './args.js';
import { runPublish, runSubscribe } from './events.js';
import { CliError, EXIT, exitCodeOf } from './exit.js';
import { runRequest } from './request.js';
import { loadTransport } from './transport-for.js';
import { USAGE } from './usage.js';
import { readVersion } from './version.js';
import { visible } from './visible.js';

/** Where the `parley` command reads and writes. */
export interface CliStreams {
  /** Receives bodies, listings and header fields. */
  readonly stdout: Writable;
  /** Receives messages, the progress meter (on a terminal) and the wire dialogue (`-v`). */
  readonly stderr: Writable & { isTTY?: boolean };
  /** Read for `-T -` and `-d @-`. Default: `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream | undefined;
  /** Ends `subscribe` and `serve`. Default: SIGINT or SIGTERM. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs the `parley` command and resolves with its exit code (curl's meanings; see `USAGE`).
 *
 * @param argv - the arguments, without `node` and the script
 * @param streams - where output and messages go, and where input comes from
 *
 * @example
 * ```ts
 * const code = await runCli(['http://127.0.0.1:8080/notes/hello.txt'], process);
 * ```
 */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  const silent = argv.includes('-s') || argv.includes('--silent');
  const showError = !silent || argv.includes('-S') || argv.includes('--show-error');
  try {
    return await dispatch(parseCommand(argv), streams);
  } catch (thrown) {
    const code = exitCodeOf(thrown);
    const message = thrown instanceof CliError ? thrown.message : describe(thrown);
    // A message may carry a peer's text (a reply, a close reason): shown on one line, inert.
    if (showError && message !== '') streams.stderr.write(`parley: ${visible(message)}\n`);
    if (code === EXIT.usage) streams.stderr.write('Try parley --help\n');
    return code;
  }
}

async function dispatch(command: Command, streams: CliStreams): Promise<number> {
  const io = { stdout: streams.stdout, stderr: streams.stderr, stdin: streams.stdin ?? process.stdin };
  switch (command.kind) {
    case 'help':
      streams.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    case 'version':
      streams.stdout.write(`parley ${readVersion()}\n`);
      return EXIT.ok;
    case 'contract': {
      const transport = await loadTransport(command.target.scheme, command.target.transportUrl, {
        tls: command.tls,
        startTls: command.startTls,
      });
      streams.stdout.write(describeContract(transport.contract));
      return EXIT.ok;
    }
    case 'request':
      return runRequest(command, io);
    case 'subscribe':
      return withStop(streams, (stop) => runSubscribe(command, io, stop));
    case 'publish':
      return runPublish(command, io);
    case 'serve': {
      const { runServe } = await import('./serve/command.js');
      return withStop(streams, (stop) => runServe(command.argv, io, stop));
    }
  }
}

/** Runs `work` with a signal that aborts on the caller's signal, or on SIGINT and SIGTERM. */
async function withStop(streams: CliStreams, work: (stop: AbortSignal) => Promise<number>): Promise<number> {
  if (streams.signal !== undefined) return work(streams.signal);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

function describe(thrown: unknown): string {
  const error = ParleyError.from(thrown);
  return `${error.status}: ${error.message}`;
}

/**
 * A readable summary of a transport's contract.
 *
 * @param contract - the transport's contract
 * @returns One line per property, as `parley contract` prints it.
 *
 * @example
 * ```ts
 * console.log(describeContract(http('http://127.0.0.1:8080').contract));
 * ```
 */
export function describeContract(contract: TransportContract): string {
  const yes = (value: boolean) => (value ? 'yes' : 'no');
  return [
    `protocol          ${contract.protocol}`,
    `methods           ${contract.methods.join(', ')}`,
    `reply             ${contract.reply}`,
    `request headers   ${yes(contract.requestHeaders)}`,
    `response headers  ${yes(contract.responseHeaders)}`,
    `streaming         ${yes(contract.streaming)}`,
    `events            ${yes(contract.events)}`,
    `auth              ${contract.auth.join(', ') || 'none'}`,
    `tls               ${contract.tls.join(', ') || 'none'}`,
    `statuses          ${contract.statuses.join(', ')}`,
    '',
  ].join('\n');
}
