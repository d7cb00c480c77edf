// MQTT request/response benchmark: Parley (client + server) against a hand-written MQTT.js
// request/response loop on the same broker, over mosquitto (MQTT 5) and aedes (MQTT 3.1.1).
// Both contenders run client and server in this process, QoS 1, Nagle off, the same messages
// (see hand-written.ts), bundled to plain JavaScript (contenders.ts); rounds alternate between
// them (which goes first alternates too), and the ratio is the median of each round's own ratio:
// the two runs of a round are back to back, under the same load, so a load that changes between
// rounds (the rates of one build swing by a factor of two within a minute on a busy machine)
// moves both sides of a round rather than the ratio.
// Run: pnpm bench:mqtt   (BENCH_ROUNDS, BENCH_ROUND_MS, BENCH_WARMUP_MS, BENCH_IN_FLIGHT=1,32,
// BENCH_BROKERS=mosquitto,aedes; --smoke or BENCH_SMOKE=1: one round of 200 ms after 100 ms)
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle } from '../lib/bundle.js';
import { recordResult } from '../lib/results.js';
import { setting } from '../lib/smoke.js';
import { median } from '../stats.js';
import { type BrokerProcess, startAedes, startMosquitto } from './brokers.js';
import type { Contender } from './contenders.js';

const ROUND_MS = setting('BENCH_ROUND_MS', 500, 200);
const ROUNDS = setting('BENCH_ROUNDS', 20, 1);
const WARMUP_MS = setting('BENCH_WARMUP_MS', 1000, 100);
const IN_FLIGHT = (process.env.BENCH_IN_FLIGHT ?? '1,32').split(',').map(Number);
const BROKERS = (process.env.BENCH_BROKERS ?? 'mosquitto,aedes').split(',');
const CLOCK_TICKS_PER_SECOND = 100;
/** Parley's round trips/s should be at least this share of the hand-written loop's. */
const TARGET = 0.9;

/** What the rounds of one contender measured. */
interface Tally {
  latencies: number[];
  rates: number[];
  /** CPU µs of this process (client and server) per round trip, per round. */
  cpu: number[];
  /** CPU µs of the broker per round trip, per round. */
  brokerCpu: number[];
}

/** Both contenders, bundled to plain JavaScript (see contenders.ts). */
const bundled = (await import(
  pathToFileURL(
    await bundle(
      fileURLToPath(new URL('./contenders.ts', import.meta.url)),
      fileURLToPath(new URL('.build/contenders.mjs', import.meta.url)),
      { external: ['mqtt', 'aedes', 'ws'] },
    ),
  ).href
)) as typeof import('./contenders.js');

/** The CPU time a process has used, in µs (0 when it cannot be read). */
function processCpu(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / CLOCK_TICKS_PER_SECOND : 0;
  } catch {
    return 0;
  }
}

/** Runs `inFlight` loops of calls for `ms`, recording latencies, rate and CPU per round trip. */
async function round(
  contender: Contender,
  broker: BrokerProcess,
  inFlight: number,
  ms: number,
  tally: Tally,
): Promise<void> {
  const until = performance.now() + ms;
  let done = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now();
      await contender.call();
      tally.latencies.push(performance.now() - started);
      done++;
    }
  };
  const cpu = process.cpuUsage();
  const brokerCpu = processCpu(broker.pid);
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  tally.rates.push(done / (elapsed / 1000));
  tally.cpu.push((used.user + used.system) / done);
  tally.brokerCpu.push((processCpu(broker.pid) - brokerCpu) / done);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const emptyTally = (): Tally => ({ latencies: [], rates: [], cpu: [], brokerCpu: [] });

async function benchBroker(broker: BrokerProcess): Promise<string[]> {
  const raw = await bundled.startHandWritten(broker.url, broker.version);
  const sides: Contender[] = [
    await bundled.startParley(broker.url),
    { name: 'mqtt.js by hand', call: () => raw.call(), close: () => raw.close() },
  ];
  const lines: string[] = [];
  for (const inFlight of IN_FLIGHT) {
    for (const contender of sides) await round(contender, broker, inFlight, WARMUP_MS, emptyTally());
    const tallies = sides.map(emptyTally);
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? [...sides.entries()] : [...sides.entries()].reverse();
      for (const [index, contender] of order)
        await round(contender, broker, inFlight, ROUND_MS, tallies[index] as Tally);
    }
    const label = `${broker.name.padEnd(20)} in flight ${String(inFlight).padStart(2)}`;
    for (const [index, contender] of sides.entries()) {
      const tally = tallies[index] as Tally;
      lines.push(
        `${label}  ${contender.name.padEnd(16)}${median(tally.rates).toFixed(0).padStart(7)} req/s` +
          `  p50 ${percentile(tally.latencies, 50).toFixed(2)} ms  p99 ${percentile(tally.latencies, 99).toFixed(2)} ms` +
          `  cpu ${median(tally.cpu).toFixed(0)} µs/req (broker ${median(tally.brokerCpu).toFixed(0)})` +
          `  rounds ${tally.rates.map((rate) => rate.toFixed(0)).join(' ')}`,
      );
    }
    const [parley, hand] = tallies as [Tally, Tally];
    const ratios = parley.rates.map((rate, r) => rate / (hand.rates[r] as number));
    const ratio = median(ratios);
    const cpuRatio = median(hand.cpu) / median(parley.cpu);
    lines.push(
      `${label}  ratio parley / by hand: ${ratio.toFixed(2)}x  (CPU efficiency ${cpuRatio.toFixed(2)}x;` +
        ` ratio of the medians ${(median(parley.rates) / median(hand.rates)).toFixed(2)}x)` +
        `  rounds ${ratios.map((one) => one.toFixed(2)).join(' ')}`,
    );
    console.log(lines.slice(-3).join('\n'));
    recordResult({
      measure: `round trips/s, ${inFlight} in flight, ${broker.name}`,
      ratio,
      target: TARGET,
      higherIsBetter: true,
      unit: 'x',
      peer: 'MQTT.js by hand',
      detail: `${median(parley.rates).toFixed(0)} vs ${median(hand.rates).toFixed(0)} req/s; CPU per round trip ${median(parley.cpu).toFixed(0)} vs ${median(hand.cpu).toFixed(0)} µs`,
    });
  }
  for (const contender of sides) await contender.close();
  return lines;
}

const starters: Record<string, () => Promise<BrokerProcess>> = {
  mosquitto: startMosquitto,
  aedes: startAedes,
};
console.log(
  `MQTT round trips, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms after ${WARMUP_MS} ms of warm-up` +
    ` (medians; ratio: median of the rounds' own ratios); load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}\n`,
);
const results: string[] = [];
for (const name of BROKERS) {
  const start = starters[name];
  if (start === undefined) throw new Error(`unknown broker ${name}: use mosquitto or aedes`);
  const broker = await start();
  try {
    results.push(...(await benchBroker(broker)));
  } finally {
    await broker.stop();
  }
}
console.log(`\nSummary\n${results.filter((line) => line.includes('ratio')).join('\n')}`);
