import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';
import {
  Body,
  createClient,
  isSuccess,
  ParleyError,
  type Response,
  readListing,
  type TransportContract,
} from '@parley/core';
import { type Command, parseCommand, type RequestCommand, USAGE } from './args.js';
import { transportFor } from './transport-for.js';

/** Where the `parley` command writes: the body to `stdout`, statuses and errors to `stderr`. */
export interface CliStreams {
  /** Receives bodies, listings and header fields. */
  readonly stdout: Writable;
  /** Receives the status line and errors. */
  readonly stderr: Writable;
  /** Read for `--file -`. Default: `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream;
}

/** Exit codes of the `parley` command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, noAnswer: 3, unsupported: 4 } as const;

/**
 * Runs the `parley` command and resolves with its exit code.
 *
 * @example
 * ```ts
 * const code = await runCli(['get', 'http://127.0.0.1:8080', '/notes/hello.txt'], process);
 * ```
 */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    streams.stderr.write(`parley: ${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  try {
    if (command.kind === 'help') {
      streams.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (command.kind === 'contract') {
      streams.stdout.write(describeContract(transportFor(command.url).contract));
      return EXIT.ok;
    }
    return await sendRequest(command, streams);
  } catch (thrown) {
    const error = ParleyError.from(thrown);
    streams.stderr.write(`parley: ${error.status}: ${error.message}\n`);
    if (error.status === 'unsupported') return EXIT.unsupported;
    return error.status === 'bad_request' ? EXIT.usage : EXIT.noAnswer;
  }
}

async function sendRequest(command: RequestCommand, streams: CliStreams): Promise<number> {
  await using client = createClient(transportFor(command.url), { retries: 0 });
  const body =
    command.body === undefined
      ? undefined
      : 'text' in command.body
        ? command.body.text
        : Body.from(
            command.body.file === '-'
              ? (streams.stdin ?? process.stdin)
              : createReadStream(command.body.file),
          );
  const response = await client.request(command.method, command.path, {
    body: body as Parameters<typeof Body.from>[0],
    headers: command.headers,
    timeoutMs: command.timeoutMs,
  });
  streams.stderr.write(
    `${response.status} (${client.contract.protocol} ${command.method} ${command.path})\n`,
  );
  await writeResponse(command, response, streams.stdout);
  return isSuccess(response.status) ? EXIT.ok : EXIT.failed;
}

async function writeResponse(command: RequestCommand, response: Response, stdout: Writable): Promise<void> {
  if (command.method === 'HEAD') {
    for (const [name, value] of response.headers) stdout.write(`${name}: ${value}\n`);
    return;
  }
  if (command.method === 'LIST' && isSuccess(response.status)) {
    for (const entry of await readListing(response)) {
      const kind = entry.type === 'directory' ? 'd' : '-';
      stdout.write(
        `${kind} ${String(entry.size ?? '').padStart(10)} ${entry.modified ?? ''.padEnd(24)} ${entry.name}\n`,
      );
    }
    return;
  }
  for await (const chunk of response.body) {
    if (!stdout.write(chunk)) await new Promise((resolve) => stdout.once('drain', resolve));
  }
}

/** A readable summary of a transport's contract. */
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
