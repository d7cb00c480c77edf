/**
 * One client of the benchmark, run in its own process: `client.ts <kind> <url>` where kind is
 * `parley` (Parley's client, `get('/echo')` and its body read whole) or `ws` (the hand-written
 * client, hand-written.ts). Prints `{"ready": true}` once connected; then, for each JSON line
 * `{"inFlight": n, "ms": m}` on its input, runs n loops of calls for m ms and prints
 * `{"done", "seconds", "latencyMicros", "p99Micros"}` (the median and 99th percentile latency). Exits when its input ends.
 */
import { createInterface } from 'node:readline';
import { createClient } from '@parley/core';
import { ws } from '@parley/ws';
import { median } from '../stats.js';
import { connectHandWritten } from './hand-written.js';
import { ECHO_PATH } from './wire.js';

const [kind, url] = process.argv.slice(2) as [string, string];

async function connect(): Promise<{ call(): Promise<unknown>; close(): Promise<void> }> {
  if (kind === 'ws') return connectHandWritten(url);
  if (kind !== 'parley') throw new Error(`Unknown client kind: ${kind} (use parley or ws)`);
  const client = createClient(ws(url), { retries: 0 });
  const call = async (): Promise<unknown> => (await client.get(ECHO_PATH)).body.bytes();
  await call();
  return { call, close: () => client.close() };
}

/** Runs `inFlight` loops of calls for `ms`. */
async function round(call: () => Promise<unknown>, inFlight: number, ms: number): Promise<unknown> {
  const until = performance.now() + ms;
  const latencies: number[] = [];
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      const started = performance.now();
      await call();
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN;
  return { done: latencies.length, seconds, latencyMicros: median(latencies) * 1000, p99Micros: p99 * 1000 };
}

const client = await connect();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const { inFlight, ms } = JSON.parse(line) as { inFlight: number; ms: number };
  process.stdout.write(`${JSON.stringify(await round(() => client.call(), inFlight, ms))}\n`);
}
await client.close();
process.exit(0);
