import { createClient } from '@parley/core';
import { http } from '@parley/http';
import { Agent, request } from 'undici';
import { median } from '../stats.js';
import { startChild } from './measure.js';

/** Options of {@link benchClients}. */
export interface ClientBenchOptions {
  /** Interleaved rounds. */
  readonly rounds: number;
  /** Seconds per client per round. */
  readonly seconds: number;
  /** Seconds per client before the rounds, to warm up the JIT (0: none). */
  readonly warmupSeconds: number;
  /** Requests in flight at once (and pooled connections, on both sides). */
  readonly concurrency: number;
}

/**
 * Requests per second of Parley's HTTP client (`createClient(http(url)).get`) and of raw
 * `undici.request` over an Agent of the same pool size, against the same `node:http` hello server
 * running in its own process. Both read each body whole.
 */
export async function benchClients(options: ClientBenchOptions): Promise<ClientResults> {
  const server = await startChild('./hello-server.ts', ['node']);
  const origin = `http://127.0.0.1:${server.ready.port}`;
  const client = createClient(http(origin, { connections: options.concurrency }), { retries: 0 });
  const agent = new Agent({ connections: options.concurrency });
  const parley = async (): Promise<void> => {
    const response = await client.get('/hello');
    await response.body.text();
  };
  const raw = async (): Promise<void> => {
    const response = await request(`${origin}/hello`, { dispatcher: agent });
    await response.body.text();
  };
  const results: ClientResults = { parley: [], undici: [] };
  try {
    if (options.warmupSeconds > 0) {
      await drive(parley, options.concurrency, options.warmupSeconds);
      await drive(raw, options.concurrency, options.warmupSeconds);
    }
    for (let round = 0; round < options.rounds; round++) {
      if (round % 2 === 0) {
        results.parley.push(await drive(parley, options.concurrency, options.seconds));
        results.undici.push(await drive(raw, options.concurrency, options.seconds));
      } else {
        results.undici.push(await drive(raw, options.concurrency, options.seconds));
        results.parley.push(await drive(parley, options.concurrency, options.seconds));
      }
    }
  } finally {
    await client.close();
    await agent.close();
    await server.stop();
  }
  return results;
}

/** One round of one client: calls per second, and CPU time of this (client) process per call. */
export interface ClientRound {
  /** Completed calls per second. */
  readonly rps: number;
  /** CPU time (user and system) this process spent per call, in µs. */
  readonly cpuMicros: number;
}

/** The rounds of each client. */
export interface ClientResults {
  /** Parley's client. */
  readonly parley: ClientRound[];
  /** Raw `undici.request`. */
  readonly undici: ClientRound[];
}

/** Runs `call` in `concurrency` loops for `seconds`; returns calls per second and CPU µs per call. */
async function drive(call: () => Promise<void>, concurrency: number, seconds: number): Promise<ClientRound> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const loop = async (): Promise<void> => {
    while (performance.now() < until) {
      await call();
      done++;
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const used = process.cpuUsage(cpu);
  return { rps: done / ((performance.now() - started) / 1000), cpuMicros: (used.user + used.system) / done };
}

/**
 * Prints the medians and the median per-round ratios: Parley/undici for calls per second and
 * undici/Parley for CPU time per call (above 1, Parley is ahead). Returns both ratios.
 */
export function reportClients(results: ClientResults): { rps: number; cpu: number } {
  const rps = median(results.parley.map((own, i) => own.rps / (results.undici[i]?.rps ?? Number.NaN)));
  const cpu = median(
    results.parley.map((own, i) => (results.undici[i]?.cpuMicros ?? Number.NaN) / own.cpuMicros),
  );
  for (const [name, rounds] of Object.entries(results) as [string, ClientRound[]][]) {
    const values = rounds.map((round) => round.rps);
    const micros = median(rounds.map((round) => round.cpuMicros)).toFixed(1);
    console.log(
      `  ${name.padEnd(8)} median ${Math.round(median(values)).toString().padStart(7)} req/s  ${micros.padStart(5)} µs CPU/req  rounds ${values.map(Math.round).join(', ')} req/s; ${rounds.map((round) => round.cpuMicros.toFixed(1)).join(', ')} µs`,
    );
  }
  console.log(`  Parley/undici req/s ${rps.toFixed(3)}, undici/Parley CPU per request ${cpu.toFixed(3)}`);
  return { rps, cpu };
}
