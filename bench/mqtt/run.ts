// MQTT request/response benchmark: Parley (client + server) against a hand-written MQTT.js
// request/response loop on the same broker, over mosquitto (MQTT 5) and aedes (MQTT 3.1.1).
// Run: pnpm bench:mqtt
import { createClient, createRouter, createServer, respond } from '@parley/core';
import { mqtt } from '@parley/mqtt';
import { type BrokerProcess, startAedes, startMosquitto } from './brokers.js';
import { startHandWritten } from './hand-written.js';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IN_FLIGHT = [1, 32];

interface Contender {
  readonly name: string;
  call(): Promise<unknown>;
  close(): Promise<void>;
}

interface Tally {
  done: number;
  latencies: number[];
  rates: number[];
}

async function startParley(url: string): Promise<Contender> {
  const server = createServer(createRouter().get('/echo', async () => respond('ok', 'pong')));
  await server.listen(mqtt(`${url}/bench-parley`));
  const client = createClient(mqtt(`${url}/bench-parley`), { retries: 0 });
  return {
    name: 'parley',
    call: async () => (await client.get('/echo')).body.bytes(),
    close: async () => {
      await client.close();
      await server.close({ timeoutMs: 1000 });
    },
  };
}

/** Runs `inFlight` loops of calls for `ms`, recording each latency. */
async function round(contender: Contender, inFlight: number, ms: number, tally: Tally): Promise<void> {
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
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  tally.done += done;
  tally.rates.push(done / ((performance.now() - started) / 1000));
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function median(values: number[]): number {
  return percentile(values, 50);
}

async function benchBroker(broker: BrokerProcess): Promise<string[]> {
  const raw = await startHandWritten(broker.url, broker.version);
  const contenders: Contender[] = [
    await startParley(broker.url),
    { name: 'mqtt.js by hand', call: () => raw.call(), close: () => raw.close() },
  ];
  const lines: string[] = [];
  for (const inFlight of IN_FLIGHT) {
    const tallies = contenders.map((): Tally => ({ done: 0, latencies: [], rates: [] }));
    for (const [index, contender] of contenders.entries())
      await round(contender, inFlight, 300, tallies[index] as Tally);
    for (const tally of tallies) Object.assign(tally, { done: 0, latencies: [], rates: [] });
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? contenders.entries() : [...contenders.entries()].reverse();
      for (const [index, contender] of order)
        await round(contender, inFlight, ROUND_MS, tallies[index] as Tally);
    }
    const [parley, hand] = tallies as [Tally, Tally];
    for (const [index, contender] of contenders.entries()) {
      const tally = tallies[index] as Tally;
      lines.push(
        `${broker.name.padEnd(20)} in flight ${String(inFlight).padStart(2)}  ${contender.name.padEnd(16)}` +
          `${median(tally.rates).toFixed(0).padStart(7)} req/s  p50 ${percentile(tally.latencies, 50).toFixed(2)} ms` +
          `  p99 ${percentile(tally.latencies, 99).toFixed(2)} ms`,
      );
    }
    const ratio = median(parley.rates) / median(hand.rates);
    lines.push(
      `${broker.name.padEnd(20)} in flight ${String(inFlight).padStart(2)}  ratio parley / by hand: ${ratio.toFixed(2)}x`,
    );
    console.log(lines.slice(-3).join('\n'));
  }
  for (const contender of contenders) await contender.close();
  return lines;
}

console.log(`MQTT round trips, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms each (median of rounds)\n`);
const results: string[] = [];
for (const start of [startMosquitto, startAedes]) {
  const broker = await start();
  try {
    results.push(...(await benchBroker(broker)));
  } finally {
    await broker.stop();
  }
}
console.log(`\nSummary\n${results.filter((line) => line.includes('ratio')).join('\n')}`);
