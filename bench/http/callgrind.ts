/**
 * Instructions per request of one hello server of the benchmark, counted rather than timed:
 * `callgrind.ts <kind> [bundle.mjs] [warm-up=100000] [counted=50000]` runs hello-server.ts
 * (`parley`, `node`, `fastify` or `express`; this tree's, bundled, or an already bundled copy, as
 * `bench/http/ab.ts` keeps them) under `valgrind --tool=callgrind` with `node --single-threaded
 * --perf-basic-prof` and a fixed 16 MiB young generation. Ten connections each send ten pipelined
 * `GET /hello` at a time from this process (the client is not counted): `warm-up` requests, then
 * instrumentation on for `counted` more. Prints the instructions per request without the JIT
 * compiler's, also without the garbage collector's (where the collections fall moves a count by
 * thousands), and with PROFILE_TOP=N the N functions that ran the most per request (JIT code
 * named from V8's perf map). Takes minutes: valgrind runs the server about fifty times slower.
 */
import { rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../lib/bundle.js';
import { endCallgrind, instrument, printTopFunctions, startCallgrind } from '../profile/callgrind-run.js';
import { readCallgrind } from '../profile/callgrind-self.js';
import { helloExchange } from '../profile/hello-exchange.js';
import { serverLines } from '../smtp/server-lines.js';

const CONNECTIONS = 10;
const PIPELINED = 10;
/** Functions of the garbage collector, left out of the second figure. */
const COLLECTING =
  /Scaveng|Mark(ing|Compact)|Sweep|Evacuat|IterateObjectCache|BodyDescriptor|RememberedSet|SlotSet|Ephemeron|GlobalHandles|OnMoveEvent|Pretenuring|SizeFromMap|ShouldBePromoted/;

const [kind = 'parley', given, warmupArg = '100000', countedArg = '50000'] = process.argv.slice(2);
const counted = Number(countedArg);
const own = given === undefined || given === '-';
const script = own
  ? await bundle(
      fileURLToPath(new URL('./hello-server.ts', import.meta.url)),
      fileURLToPath(new URL(`.build/callgrind-${process.pid}.mjs`, import.meta.url)),
      { external: ['undici', 'fastify', 'express'] },
    )
  : resolve(given);
const run = startCallgrind('http', script, [kind]);
const { child } = run;
try {
  const { port } = await serverLines(child, 'the server');
  const sockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(port)));
  const size = await helloExchange(sockets[0] as Socket, 1, undefined);
  await load(sockets, Number(warmupArg), size);
  instrument(run, true);
  await load(sockets, counted, size);
  instrument(run, false);
  for (const socket of sockets) socket.destroy();
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  const counts = readCallgrind(run.out);
  let collecting = 0;
  for (const [name, n] of counts.byFunction) if (COLLECTING.test(name)) collecting += n;
  const per = (n: number): string => `${(n / counted / 1000).toFixed(2)}k`;
  const running = counts.total - counts.compiling;
  console.log(
    `http ${kind}: ${per(running)} instructions per request, ${per(running - collecting)} without collecting, ${per(counts.total)} with compiling`,
  );
  printTopFunctions(run, counts, per);
} finally {
  endCallgrind(run);
  if (own) rmSync(script, { force: true });
}

/** A connection to the server, without Nagle's delay. */
function open(port: number): Promise<Socket> {
  return new Promise((done, fail) => {
    const socket = connect(port, '127.0.0.1', () => done(socket));
    socket.setNoDelay(true);
    socket.once('error', fail);
  });
}

/** Sends `requests` over the connections, ten pipelined per connection at a time. */
async function load(sockets: readonly Socket[], requests: number, size: number): Promise<void> {
  for (let sent = 0; sent < requests; sent += CONNECTIONS * PIPELINED)
    await Promise.all(sockets.map((socket) => helloExchange(socket, PIPELINED, size)));
}
