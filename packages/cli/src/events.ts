import type { Writable } from 'node:stream';
import { createClient } from '@parley/core';
import type { PublishCommand, SubscribeCommand } from './args.js';
import { CliError, EXIT } from './exit.js';
import { openInput, writeOut } from './io.js';
import { startSession } from './session.js';
import { loadTransport } from './transport-for.js';
import { untilAborted } from './until-aborted.js';
import { visible } from './visible.js';

/** What event commands read and write. */
export interface EventStreams {
  /** Each event: its path, a tab, its body, a new line. */
  readonly stdout: Writable;
  /** Messages. */
  readonly stderr: Writable;
  /** Read for `-d @-`. */
  readonly stdin: NodeJS.ReadableStream;
}

/** `parley subscribe URL PATTERN`: prints events until interrupted (or `--max-time`). */
export async function runSubscribe(
  command: SubscribeCommand,
  streams: EventStreams,
  stop: AbortSignal,
): Promise<number> {
  const session = startSession(command, streams.stderr, streams.stdout);
  const { target } = command;
  await using client = createClient(
    await loadTransport(target.scheme, target.transportUrl, { tls: command.tls, startTls: command.startTls }),
    {
      trace: session.tracer.trace,
    },
  );
  const signal = AbortSignal.any([stop, session.signal]);
  try {
    ensureEvents(client.contract.events, target.scheme);
    for await (const event of client.subscribe(target.path, { signal })) {
      // A broker's topic may decode to anything: the path is shown inert, on its one line.
      await writeOut(streams.stdout, `${visible(event.path)}\t`, signal);
      for await (const chunk of event.body) await writeOut(streams.stdout, chunk, signal);
      await writeOut(streams.stdout, '\n', signal);
    }
    // As curl's MQTT subscription, one that --max-time ends is exit 28 (what arrived is printed):
    // a subscription that never reached its broker is no success.
    if (!stop.aborted && session.signal.aborted) throw session.failure(session.signal.reason);
    return EXIT.ok;
  } catch (error) {
    if (stop.aborted) return EXIT.ok;
    throw session.failure(error);
  } finally {
    await session.close();
  }
}

/** `parley publish URL PATH -d TEXT`: publishes one event. */
export async function runPublish(command: PublishCommand, streams: EventStreams): Promise<number> {
  const session = startSession(command, streams.stderr, streams.stdout);
  const { target } = command;
  await using client = createClient(
    await loadTransport(target.scheme, target.transportUrl, { tls: command.tls, startTls: command.startTls }),
    {
      trace: session.tracer.trace,
    },
  );
  try {
    ensureEvents(client.contract.events, target.scheme);
    const body =
      command.body === undefined ? '' : await openInput(command.body, streams.stdin, undefined).body.bytes();
    await untilAborted(client.publish(target.path, body, { headers: command.headers }), session.signal);
    session.note(`published (${target.scheme} ${target.path})`);
    return EXIT.ok;
  } catch (error) {
    throw session.failure(error);
  } finally {
    await session.close();
  }
}

function ensureEvents(carried: boolean, scheme: string): void {
  if (!carried)
    throw new CliError(
      EXIT.unsupported,
      `${scheme} does not carry events (publish and subscribe); mqtt does`,
    );
}
