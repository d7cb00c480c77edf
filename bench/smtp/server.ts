/**
 * One SMTP server of the benchmark, in its own process: `server.ts parley` (a Parley server
 * whose handler reads the body) or `server.ts plain` (an `smtp-server` whose onData reads it).
 * Prints `{"port": n}` once listening; on SIGTERM prints `{"count": n, "bytes": n}` (messages
 * read, and the bytes their handlers were handed) and exits.
 *
 * Both use the same smtp-server settings where they are not Parley's own work: no reverse
 * DNS lookup, no logger, no AUTH or STARTTLS offered, a 25 MiB SIZE, a 100 ms greeting delay,
 * and enhanced status codes in every reply (`250 2.1.0 Accepted`), which Parley always sends,
 * so both answer with the same lines. Both handlers are handed every chunk of every message
 * and count its bytes: Parley's with `for await` over the request body, the plain one with a
 * `data` listener.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createRouter, createServer, type Request, respond } from '@parley/core';
import { smtp } from '@parley/smtp';
import { SMTPServer } from 'smtp-server';

const SIZE = 25 * 1024 * 1024;
let count = 0;
let bytes = 0;

async function startParley(): Promise<{ port: number; close: () => Promise<void> }> {
  const drain = async (request: Request) => {
    for await (const chunk of request.body) bytes += chunk.byteLength;
    count++;
    return respond('ok');
  };
  const server = createServer(createRouter().post('/inbox', drain));
  const listener = await server.listen(
    smtp('smtp://127.0.0.1:0', { earlyTalkerDelayMs: 100, maxMessageBytes: SIZE }),
  );
  return { port: Number(new URL(listener.url).port), close: () => server.close({ timeoutMs: 1000 }) };
}

async function startPlain(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    name: 'localhost',
    banner: 'Parley',
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    size: SIZE,
    hideENHANCEDSTATUSCODES: false,
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength;
      });
      stream.on('end', () => {
        count++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const kind = process.argv[2];
if (kind !== 'parley' && kind !== 'plain') throw new Error('usage: server.ts parley|plain');
const server = kind === 'parley' ? await startParley() : await startPlain();
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
// BENCH_SMTP_HEAP=<file>: the first SIGUSR2 starts V8's sampling heap profiler (objects
// collected since included), the second writes what it sampled to <file>, with the number of
// messages read in between, to see what each message allocates.
const heapFile = process.env.BENCH_SMTP_HEAP;
if (heapFile !== undefined) {
  const session = new Session();
  session.connect();
  let countAtStart: number | undefined;
  process.on('SIGUSR2', async () => {
    if (countAtStart === undefined) {
      countAtStart = count;
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 256,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      } as never);
      return;
    }
    const { profile } = await session.post('HeapProfiler.stopSampling');
    // Written whole under another name first: the reader polls for the file's name.
    writeFileSync(`${heapFile}.part`, JSON.stringify({ messages: count - countAtStart, profile }));
    renameSync(`${heapFile}.part`, heapFile);
  });
}
process.once('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ count, bytes })}\n`);
  void server.close().finally(() => process.exit(0));
});
