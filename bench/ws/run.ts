// WebSocket request/response benchmark: Parley's client and server against a request/response
// loop written by hand on `ws` that puts the same bytes on the wire (wire.ts; checked before the
// rounds, same-bytes.ts). Each server runs in its own process (bundled, server.ts); both clients
// run in this one. Rounds alternate between the contenders; the medians are compared, with the
// CPU time per round trip of the client (this process) and of the server (from /proc).
// Run: pnpm bench:ws   (BENCH_ROUNDS=5, BENCH_ROUND_MS=2000, BENCH_WARMUP_MS=1000,
// BENCH_IN_FLIGHT=1,32; BENCH_PROFILE=<dir> profiles both servers with --cpu-prof into <dir>;
// --smoke or BENCH_SMOKE=1: one round of 300 ms after 100 ms of warm-up)
import { loadavg } from 'node:os';
import { createClient } from '@parley/core';
import { ws } from '@parley/ws';
import { cpuSeconds } from '../lib/proc.js';
import { recordResult } from '../lib/results.js';
import { SMOKE, setting } from '../lib/smoke.js';
import { median } from '../stats.js';
import { connectHandWritten } from './hand-written.js';
import { checkSameBytes } from './same-bytes.js';
import { type ServerProcess, startServer } from './server-process.js';
import { ECHO_PATH } from './wire.js';

const ROUND_MS = setting('BENCH_ROUND_MS', 2000, 300);
const ROUNDS = setting('BENCH_ROUNDS', 5, 1);
const WARMUP_MS = setting('BENCH_WARMUP_MS', 1000, 100);
const IN_FLIGHT = (process.env.BENCH_IN_FLIGHT ?? '1,32').split(',').map(Number);
const PROFILE_DIR = process.env.BENCH_PROFILE;
const TARGET = 0.9;

/** One side of the comparison: a client in this process and its server's process. */
interface Contender {
  readonly name: string;
  readonly server: ServerProcess;
  call(): Promise<unknown>;
  close(): Promise<void>;
}

/** One round of one contender. */
interface Round {
  /** Round trips per second. */
  readonly rate: number;
  /** CPU µs per round trip of this process (the client). */
  readonly clientCpu: number;
  /** CPU µs per round trip of the server's process. */
  readonly serverCpu: number;
  /** Median latency of a round trip, in µs. */
  readonly latency: number;
}

async function startParley(server: ServerProcess): Promise<Contender> {
  const client = createClient(ws(server.url), { retries: 0 });
  return {
    name: 'parley',
    server,
    call: async () => (await client.get(ECHO_PATH)).body.bytes(),
    close: () => client.close(),
  };
}

async function startByHand(server: ServerProcess): Promise<Contender> {
  const client = await connectHandWritten(server.url);
  return { name: 'ws by hand', server, call: () => client.call(), close: () => client.close() };
}

/** Runs `inFlight` loops of calls for `ms`. */
async function round(contender: Contender, inFlight: number, ms: number): Promise<Round> {
  const until = performance.now() + ms;
  const latencies: number[] = [];
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now();
      await contender.call();
      latencies.push(performance.now() - started);
    }
  };
  const pid = contender.server.child.pid;
  const serverBefore = cpuSeconds(pid);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const done = latencies.length;
  return {
    rate: done / (elapsed / 1000),
    clientCpu: (used.user + used.system) / done,
    serverCpu: ((cpuSeconds(pid) - serverBefore) * 1e6) / done,
    latency: median(latencies) * 1000,
  };
}

/** Interleaved rounds at one number of calls in flight; prints and records the ratio. */
async function compare(contenders: readonly [Contender, Contender], inFlight: number): Promise<string> {
  for (const contender of contenders) await round(contender, inFlight, WARMUP_MS);
  const rounds: [Round[], Round[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order)
      rounds[index as 0 | 1].push(await round(contenders[index as 0 | 1], inFlight, ROUND_MS));
  }
  const label = `in flight ${String(inFlight).padStart(2)}`;
  const cpu = (list: Round[], side: 'clientCpu' | 'serverCpu'): number =>
    median(list.map((each) => each[side]));
  for (const [index, contender] of contenders.entries()) {
    const list = rounds[index as 0 | 1];
    console.log(
      `${label}  ${contender.name.padEnd(11)}${median(list.map((each) => each.rate))
        .toFixed(0)
        .padStart(7)} req/s` +
        `  p50 ${median(list.map((each) => each.latency))
          .toFixed(0)
          .padStart(4)} µs` +
        `  CPU per round trip: client ${cpu(list, 'clientCpu').toFixed(1)} µs, server ${cpu(list, 'serverCpu').toFixed(1)} µs` +
        `  rounds ${list.map((each) => each.rate.toFixed(0)).join(' ')}`,
    );
  }
  const [parley, hand] = rounds;
  const ratio = median(parley.map((own, i) => own.rate / (hand[i]?.rate ?? Number.NaN)));
  const verdict = ratio >= TARGET ? 'meets' : 'MISSES';
  const line = `${label}  parley / ws by hand: ${ratio.toFixed(2)}x round trips/s (target >= ${TARGET}: ${verdict} target)`;
  console.log(`${line}\n`);
  const rate = (list: Round[]): string => median(list.map((each) => each.rate)).toFixed(0);
  recordResult({
    measure: `round trips/s, ${inFlight} in flight`,
    ratio,
    target: TARGET,
    higherIsBetter: true,
    unit: 'x',
    peer: 'ws by hand',
    detail:
      `${rate(parley)} vs ${rate(hand)} req/s; CPU per round trip client ${cpu(parley, 'clientCpu').toFixed(1)} vs ` +
      `${cpu(hand, 'clientCpu').toFixed(1)} µs, server ${cpu(parley, 'serverCpu').toFixed(1)} vs ${cpu(hand, 'serverCpu').toFixed(1)} µs`,
  });
  return line;
}

const nodeArgs = PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`];
const servers = await Promise.all([startServer('parley', nodeArgs), startServer('ws', nodeArgs)]);
const summary: string[] = [];
try {
  const [parleyServer, handServer] = servers;
  console.log(
    `WebSocket round trips, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms after ${WARMUP_MS} ms of warm-up` +
      ` (medians); each server in its own process${SMOKE ? ' [smoke]' : ''}; load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}`,
  );
  console.log(`${await checkSameBytes(servers.map((server) => server.url))}\n`);
  const contenders = [await startParley(parleyServer), await startByHand(handServer)] as const;
  try {
    for (const inFlight of IN_FLIGHT) summary.push(await compare(contenders, inFlight));
  } finally {
    for (const contender of contenders) await contender.close();
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
console.log(`Summary\n${summary.join('\n')}`);
