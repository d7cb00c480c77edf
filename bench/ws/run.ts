// WebSocket request/response benchmark: Parley (client + server) against a hand-written `ws`
// request/response loop that puts the same bytes on the wire (see hand-written.ts). Both run
// client and server in this process; rounds alternate between them and the medians are compared.
// Run: pnpm bench:ws   (BENCH_ROUNDS, BENCH_ROUND_MS, BENCH_WARMUP_MS, BENCH_IN_FLIGHT=1,32)
import { loadavg } from 'node:os';
import { createClient, createRouter, createServer, respond } from '@parley/core';
import { ws } from '@parley/ws';
import { median } from '../stats.js';
import { startHandWritten } from './hand-written.js';

const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 1000);
const IN_FLIGHT = (process.env.BENCH_IN_FLIGHT ?? '1,32').split(',').map(Number);

interface Contender {
  readonly name: string;
  call(): Promise<unknown>;
  close(): Promise<void>;
}

async function startParley(): Promise<Contender> {
  const server = createServer(createRouter().get('/echo', async () => respond('ok', 'pong')));
  const listener = await server.listen(ws('ws://127.0.0.1:0/parley'));
  const client = createClient(ws(listener.url), { retries: 0 });
  return {
    name: 'parley',
    call: async () => (await client.get('/echo')).body.bytes(),
    close: async () => {
      await client.close();
      await server.close({ timeoutMs: 1000 });
    },
  };
}

/** Runs `inFlight` loops of calls for `ms`; returns round trips per second. */
async function round(contender: Contender, inFlight: number, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      await contender.call();
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  return done / ((performance.now() - started) / 1000);
}

const raw = await startHandWritten();
const contenders: Contender[] = [
  await startParley(),
  { name: 'ws by hand', call: () => raw.call(), close: () => raw.close() },
];
console.log(
  `WebSocket round trips, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms after ${WARMUP_MS} ms of warm-up` +
    ` (median of rounds); load average ${loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}\n`,
);
const summary: string[] = [];
for (const inFlight of IN_FLIGHT) {
  for (const contender of contenders) await round(contender, inFlight, WARMUP_MS);
  const rates: number[][] = contenders.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? [...contenders.entries()] : [...contenders.entries()].reverse();
    for (const [index, contender] of order) rates[index]?.push(await round(contender, inFlight, ROUND_MS));
  }
  const label = `in flight ${String(inFlight).padStart(2)}`;
  for (const [index, contender] of contenders.entries()) {
    const mine = rates[index] ?? [];
    console.log(
      `${label}  ${contender.name.padEnd(12)}${median(mine).toFixed(0).padStart(8)} req/s  rounds ${mine.map((rate) => rate.toFixed(0)).join(' ')}`,
    );
  }
  const ratio = median(rates[0] ?? []) / median(rates[1] ?? []);
  const line = `${label}  ratio parley / by hand: ${ratio.toFixed(2)}x`;
  console.log(line);
  summary.push(line);
}
for (const contender of contenders) await contender.close();
console.log(`\nSummary\n${summary.join('\n')}`);
