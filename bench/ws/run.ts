// WebSocket request/response benchmark: Parley's client and server against a request/response
// loop written by hand on `ws` that puts the same bytes on the wire (wire.ts; checked before the
// rounds, same-bytes.ts, and counted during them). Each server and each client runs in a process
// of its own, bundled to plain JavaScript (server.ts, client.ts). Rounds alternate between the
// contenders; the medians are compared, with the CPU time per round trip of each process.
// Run: pnpm bench:ws   (BENCH_ROUNDS=5, BENCH_ROUND_MS=2000, BENCH_WARMUP_MS=1000,
// BENCH_IN_FLIGHT=1,32; BENCH_PROFILE=<dir> runs all four processes with --cpu-prof into <dir>;
// --smoke or BENCH_SMOKE=1: one round of 300 ms after 100 ms of warm-up)
import { loadavg } from 'node:os';
import { cpuSeconds } from '../lib/proc.js';
import { recordResult } from '../lib/results.js';
import { SMOKE, setting } from '../lib/smoke.js';
import { median } from '../stats.js';
import { type Writes, writesOf } from './io.js';
import { type BenchProcess, startProcess } from './processes.js';
import { checkSameBytes } from './same-bytes.js';

const ROUND_MS = setting('BENCH_ROUND_MS', 2000, 300);
const ROUNDS = setting('BENCH_ROUNDS', 5, 1);
const WARMUP_MS = setting('BENCH_WARMUP_MS', 1000, 100);
const IN_FLIGHT = (process.env.BENCH_IN_FLIGHT ?? '1,32').split(',').map(Number);
const PROFILE_DIR = process.env.BENCH_PROFILE;
const NODE_ARGS = PROFILE_DIR === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`];
const TARGET = 0.9;

/** One side of the comparison: a server process and a client process. */
interface Contender {
  readonly name: string;
  /** The server's endpoint. */
  readonly url: string;
  readonly server: BenchProcess;
  readonly client: BenchProcess;
}

/** One round of one contender. */
interface Round {
  /** Round trips per second. */
  readonly rate: number;
  /** Median latency of a round trip, in µs. */
  readonly latency: number;
  /** 99th percentile latency of a round trip, in µs. */
  readonly p99: number;
  /** CPU µs per round trip of the client's process. */
  readonly clientCpu: number;
  /** CPU µs per round trip of the server's process. */
  readonly serverCpu: number;
  /** Write system calls per round trip, client and server together. */
  readonly writes: number;
  /** Bytes written per round trip, client and server together. */
  readonly bytes: number;
}

/** Starts a contender's server, then its client connected to it. */
async function startContender(name: string, kind: string): Promise<Contender> {
  const server = await startProcess('server.ts', [kind], NODE_ARGS);
  const url = `ws://127.0.0.1:${server.ready.port}${server.ready.path}`;
  const client = await startProcess('client.ts', [kind, url], NODE_ARGS).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  return { name, url, server, client };
}

/** Runs `inFlight` loops of calls for `ms` in the contender's client process. */
async function round(contender: Contender, inFlight: number, ms: number): Promise<Round> {
  const pids = [contender.client.child.pid, contender.server.child.pid];
  const cpuBefore = pids.map(cpuSeconds);
  const writesBefore = pids.map(writesOf);
  contender.client.send({ inFlight, ms });
  const result = (await contender.client.next()) as {
    done: number;
    seconds: number;
    latencyMicros: number;
    p99Micros: number;
  };
  const cpu = pids.map((pid, i) => ((cpuSeconds(pid) - (cpuBefore[i] as number)) * 1e6) / result.done);
  const writes = pids.map((pid, i) => difference(writesOf(pid), writesBefore[i] as Writes));
  return {
    rate: result.done / result.seconds,
    latency: result.latencyMicros,
    p99: result.p99Micros,
    clientCpu: cpu[0] as number,
    serverCpu: cpu[1] as number,
    writes: (writes[0]?.calls ?? Number.NaN) / result.done + (writes[1]?.calls ?? Number.NaN) / result.done,
    bytes: (writes[0]?.bytes ?? Number.NaN) / result.done + (writes[1]?.bytes ?? Number.NaN) / result.done,
  };
}

function difference(after: Writes, before: Writes): Writes {
  return { calls: after.calls - before.calls, bytes: after.bytes - before.bytes };
}

/** The median of one figure over rounds. */
function mid(rounds: readonly Round[], figure: keyof Round): number {
  return median(rounds.map((each) => each[figure]));
}

/** Interleaved rounds at one number of calls in flight; prints and records the ratio. */
async function compare(contenders: readonly [Contender, Contender], inFlight: number): Promise<string> {
  for (const contender of contenders) await round(contender, inFlight, WARMUP_MS);
  const rounds: [Round[], Round[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    for (const index of r % 2 === 0 ? [0, 1] : [1, 0])
      rounds[index as 0 | 1].push(await round(contenders[index as 0 | 1], inFlight, ROUND_MS));
  }
  const label = `in flight ${String(inFlight).padStart(2)}`;
  for (const [index, contender] of contenders.entries()) {
    const list = rounds[index as 0 | 1];
    console.log(
      `${label}  ${contender.name.padEnd(11)}${mid(list, 'rate').toFixed(0).padStart(7)} req/s` +
        `  p50 ${mid(list, 'latency').toFixed(0).padStart(4)} µs, p99 ${mid(list, 'p99').toFixed(0).padStart(5)} µs` +
        `  CPU per round trip: client ${mid(list, 'clientCpu').toFixed(1)} µs, server ${mid(list, 'serverCpu').toFixed(1)} µs` +
        `  writes ${mid(list, 'writes').toFixed(2)} (${mid(list, 'bytes').toFixed(0)} bytes)` +
        `  rounds ${list.map((each) => each.rate.toFixed(0)).join(' ')}`,
    );
  }
  const [parley, hand] = rounds;
  const ratio = median(parley.map((own, i) => own.rate / (hand[i]?.rate ?? Number.NaN)));
  const verdict = ratio >= TARGET ? 'meets target' : 'MISSES target';
  const line = `${label}  parley / ws by hand: ${ratio.toFixed(2)}x round trips/s (target >= ${TARGET}: ${verdict})`;
  console.log(`${line}\n`);
  const cpu = (list: Round[]): string =>
    `client ${mid(list, 'clientCpu').toFixed(1)} + server ${mid(list, 'serverCpu').toFixed(1)} µs`;
  recordResult({
    measure: `round trips/s, ${inFlight} in flight`,
    ratio,
    target: TARGET,
    higherIsBetter: true,
    unit: 'x',
    peer: 'ws by hand',
    detail:
      `${mid(parley, 'rate').toFixed(0)} vs ${mid(hand, 'rate').toFixed(0)} req/s; CPU per round trip ` +
      `${cpu(parley)} vs ${cpu(hand)}`,
  });
  return line;
}

console.log(
  `WebSocket round trips, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms after ${WARMUP_MS} ms of warm-up` +
    ` (medians); each client and server in its own process${SMOKE ? ' [smoke]' : ''}; load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
);
const contenders: Contender[] = [];
const summary: string[] = [];
try {
  contenders.push(await startContender('parley', 'parley'), await startContender('ws by hand', 'ws'));
  const [parley, hand] = contenders as [Contender, Contender];
  console.log(`${await checkSameBytes([parley.url, hand.url])}\n`);
  for (const inFlight of IN_FLIGHT) summary.push(await compare([parley, hand], inFlight));
} finally {
  for (const { client, server } of contenders) {
    await client.stop();
    await server.stop();
  }
}
console.log(`Summary\n${summary.join('\n')}`);
